import { describe, expect, it } from 'vitest';
import {
  binaryCounts,
  cohenKappa,
  confusionMatrix,
  f1Score,
  kappaFromMatrix,
  quadraticWeightedKappa,
} from '../../server/stats/agreement.ts';
import { averageRanks, pearson, spearman } from '../../server/stats/correlation.ts';

describe('Pearson r', () => {
  // Anscombe, F. J. (1973). Graphs in statistical analysis. The American Statistician 27(1):
  // the four data sets share r = 0.816 "to 3 decimal places" (Wikipedia, Anscombe's quartet; set IV
  // is 0.8165, so the check is |r - 0.816| < 0.001 rather than a rounded string).
  const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
  const quartet = [
    [x, [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]],
    [x, [9.14, 8.14, 8.74, 8.77, 9.26, 8.1, 6.13, 3.1, 9.13, 7.26, 4.74]],
    [x, [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73]],
    [
      [8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8],
      [6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.5, 5.56, 7.91, 6.89],
    ],
  ] as const;
  it("equals 0.816 on each of Anscombe's four data sets", () => {
    for (const [xs, ys] of quartet) expect(Math.abs(pearson(xs, ys)! - 0.816)).toBeLessThan(0.001);
  });
  it('is undefined without variance', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('Spearman rho with ties', () => {
  it('equals scipy.stats.spearmanr on its documented example with a tie', () => {
    // scipy.stats.spearmanr docstring: spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) -> 0.8207826816681233
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
  });
  it('gives tied values the average of their ranks (scipy.stats.rankdata, method average)', () => {
    // rankdata([0, 2, 3, 2]) -> [1. , 2.5, 4. , 2.5] (scipy docs)
    expect(averageRanks([0, 2, 3, 2])).toEqual([1, 2.5, 4, 2.5]);
  });
  it('equals -29/165 on the tie-free IQ / TV-hours example of the Wikipedia article', () => {
    const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 12);
  });
});

describe("Cohen's kappa", () => {
  it('equals 0.4 on the worked example of the Wikipedia article (50 proposals, two readers)', () => {
    // Yes/Yes 20, Yes/No 5, No/Yes 10, No/No 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    expect(
      kappaFromMatrix([
        [20, 5],
        [10, 15],
      ]),
    ).toBeCloseTo(0.4, 12);
    const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
    expect(cohenKappa(a, b, ['yes', 'no'])).toBeCloseTo(0.4, 12);
  });
});

describe('quadratic-weighted kappa', () => {
  // Maple EssayTools[QuadraticWeightedKappa] documentation, examples 1 and 2 (scale from the data, 1..10).
  it('equals the published values of two worked examples', () => {
    const a = [9, 7, 8, 7, 6, 8, 3, 5, 10];
    expect(quadraticWeightedKappa(a, [8, 8, 6, 6, 7, 6, 1, 4, 8], 1, 10)).toBeCloseTo(0.758620689655172, 12);
    expect(quadraticWeightedKappa(a, [3, 5, 6, 6, 7, 6, 1, 4, 8], 1, 10)).toBeCloseTo(0.438095238095238, 12);
  });
  it('is 1 for identical scores', () => {
    expect(quadraticWeightedKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 1, 5)).toBe(1);
  });
});

describe('confusion matrix and F1', () => {
  it('counts pairs with rows for the first rater', () => {
    expect(confusionMatrix(['pass', 'fail', 'pass'], ['pass', 'pass', 'fail'], ['pass', 'fail'])).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });
  it('gives precision, recall and F1 of the positive class (checked by hand)', () => {
    // truth 1 at 1,2,4,5; predicted 1 at 1,4: tp 2, fp 0, fn 2 -> precision 1, recall 0.5, F1 2/3.
    const c = binaryCounts([false, true, true, false, true, true], [false, true, false, false, true, false]);
    expect(c).toEqual({ tp: 2, fp: 0, fn: 2, tn: 2 });
    expect(f1Score(c)).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3 });
  });
  it('is undefined when nothing is positive on either side', () => {
    expect(f1Score(binaryCounts([false, false], [false, false])).f1).toBeNull();
  });
});
