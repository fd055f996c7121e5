import { describe, expect, it } from 'vitest';
import {
  estimateByStratum,
  estimateMean,
  selectAnchors,
  validateLeaveOneModelOut,
} from '../../server/stats/anchor-subset.ts';
import { seededRandom } from '../../server/stats/bootstrap.ts';

/** 40 models x 300 items x 3 repeats of 1-5 scores from a seeded 2PL-like population, six strata. */
function population(seed: number) {
  const random = seededRandom(seed);
  const z = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const theta = Array.from({ length: 40 }, z);
  const a = Array.from({ length: 300 }, () => Math.exp(0.35 * z()));
  const b = Array.from({ length: 300 }, z);
  const strata = Array.from({ length: 300 }, (_, j) => `c${j % 6}`);
  const scores = theta.map((t) =>
    a.map((aj, j) => {
      let s = 0;
      for (let r = 0; r < 3; r++) s += Math.max(1, Math.min(5, Math.round(3 + aj * (t - b[j]!) + z())));
      return s / 3;
    }),
  );
  return { scores, strata };
}
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('anchor subset (tinyBenchmarks anchor points, stratified)', () => {
  const { scores, strata } = population(7);

  it('chooses about k anchors, at least one per stratum, with weights that sum to one', () => {
    const subset = selectAnchors(scores, strata, 30);
    expect(subset.anchors.length).toBeGreaterThanOrEqual(28);
    expect(subset.anchors.length).toBeLessThanOrEqual(32);
    expect(new Set(subset.strata)).toEqual(new Set(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']));
    expect(subset.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(subset.anchors.every((j, a) => strata[j] === subset.strata[a])).toBe(true);
  });

  it('is exact when every item is an anchor', () => {
    const subset = selectAnchors(scores.slice(0, 10), strata, 300);
    expect(estimateMean(subset, scores[20]!)).toBeCloseTo(mean(scores[20]!), 12);
    const c3 = scores[20]!.filter((_, j) => strata[j] === 'c3');
    expect(estimateByStratum(subset, scores[20]!).get('c3')).toBeCloseTo(mean(c3), 12);
    expect(Object.values(subset.stratumHalfWidths).every((h) => Math.abs(h) < 1e-12)).toBe(true);
  });

  it("states each stratum's 95% half-width from the known models' errors on that stratum", () => {
    const subset = selectAnchors(scores, strata, 30);
    const errors = scores.map(
      (row) => estimateByStratum(subset, row).get('c2')! - mean(row.filter((_, j) => strata[j] === 'c2')),
    );
    const rms = Math.sqrt(mean(errors.map((e) => e * e)));
    expect(subset.stratumHalfWidths.c2).toBeCloseTo(1.96 * rms, 12);
    // Five anchors stand for a stratum's 50 items, 30 for all 300: the strata's errors are the larger.
    expect(Math.min(...Object.values(subset.stratumHalfWidths))).toBeGreaterThan(subset.halfWidth);
  });

  it('estimates held-out models from 10% of the items: MAE under 0.1 point, coverage near 95%, better than random', () => {
    const lomo = validateLeaveOneModelOut(scores, strata, 30);
    // Measured: MAE 0.068 (model means spread with SD 0.76), coverage 0.925 over 40 held-out models.
    expect(lomo.meanAbsoluteError).toBeLessThan(0.1);
    expect(lomo.coverage).toBeGreaterThanOrEqual(0.85);
    // Per stratum too (5 anchors each): every stratum's coverage near nominal as well.
    expect(Object.keys(lomo.strata).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    for (const s of Object.values(lomo.strata)) expect(s.coverage).toBeGreaterThanOrEqual(0.8);
    // Baseline: the mean of 30 items drawn at random (seeded), 5 per stratum.
    const random = seededRandom(3);
    const errors = scores.map((row) => {
      const picked = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'].flatMap((c) =>
        row
          .map((x, j) => ({ x, j }))
          .filter((p) => strata[p.j] === c)
          .sort(() => random() - 0.5)
          .slice(0, 5),
      );
      return Math.abs(mean(picked.map((p) => p.x)) - mean(row));
    });
    expect(lomo.meanAbsoluteError).toBeLessThan(mean(errors));
  });
});
