import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronbachAlpha, factorAnalysis, isConstant } from '../../server/stats/factor-analysis.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Reference values were produced with numpy (np.corrcoef, np.linalg.eigh; alpha from variances with
// ddof=1) by tests/fixtures/factor/make-reference.py on a fixed 8 x 6 matrix; the file records the
// numpy version used.
const ref = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/factor/reference.json'), 'utf8')) as {
  matrix: number[][];
  explained: number[];
  loadings: number[];
  loadings2: number[];
  cronbachAlpha: number;
  cronbachAlphaStandardized: number;
};

describe('factor analysis of a model x behaviour matrix', () => {
  const fa = factorAnalysis(ref.matrix);

  it('explains variance per component as numpy does', () => {
    ref.explained.forEach((v, i) => expect(fa.explained[i]).toBeCloseTo(v, 10));
  });

  it('gives the loadings on the first component as numpy does, with the reversed behaviour negative', () => {
    ref.loadings.forEach((v, i) => expect(fa.loadings[i]).toBeCloseTo(v, 10));
    expect(fa.loadings[5]).toBeLessThan(0);
  });

  it('gives the loadings on the second component up to sign', () => {
    const sign = Math.sign(fa.loadings2[0]!) === Math.sign(ref.loadings2[0]!) ? 1 : -1;
    ref.loadings2.forEach((v, i) => expect(sign * fa.loadings2[i]!).toBeCloseTo(v, 8));
  });

  it("gives Cronbach's alpha as numpy does, raw (covariances) and standardized (correlations)", () => {
    expect(fa.cronbachAlpha).toBeCloseTo(ref.cronbachAlpha, 12);
    expect(cronbachAlpha(ref.matrix)).toBeCloseTo(ref.cronbachAlpha, 12);
    expect(fa.cronbachAlphaStandardized).toBeCloseTo(ref.cronbachAlphaStandardized, 12);
    expect(fa.cronbachAlphaStandardized).not.toBeCloseTo(fa.cronbachAlpha!, 2);
  });

  it('warns in plain words when there are fewer models than behaviours (24 vs 37 in the published benchmark)', () => {
    const few = ref.matrix.slice(0, 5);
    const wide = few.map((r) => [...r, ...r.map((x) => 6 - x)]);
    const result = factorAnalysis(wide);
    expect(result.warnings.join(' ')).toMatch(/Only 5 models for 12 behaviours: .*KMO\) cannot be computed/);
    expect(factorAnalysis(ref.matrix).warnings).toEqual([]);
  });

  it('leaves out a behaviour every model scored the same, and says so', () => {
    const withConstant = ref.matrix.map((r) => [...r, 5]);
    const result = factorAnalysis(withConstant);
    expect(result.constant).toEqual([6]);
    expect(result.loadings[6]).toBe(0);
    expect(result.warnings[0]).toMatch(/same score for every model/);
    ref.loadings.forEach((v, i) => expect(result.loadings[i]).toBeCloseTo(v, 10));
  });

  it('treats a behaviour equal up to float rounding as constant (1.5555555555555554 vs ...556)', () => {
    // Means of the same scores summed in another order: equal but for the last bit.
    expect(1.5555555555555554).not.toBe(1.5555555555555556);
    const nearly = ref.matrix.map((r, i) => [...r, i % 2 ? 1.5555555555555554 : 1.5555555555555556]);
    const result = factorAnalysis(nearly);
    expect(result.constant).toEqual([6]);
    ref.explained.forEach((v, i) => expect(result.explained[i]).toBeCloseTo(v, 10));
    expect(result.cronbachAlphaStandardized).toBeCloseTo(ref.cronbachAlphaStandardized, 12);
    expect(isConstant([3, 3.0000001])).toBe(false);
  });
});
