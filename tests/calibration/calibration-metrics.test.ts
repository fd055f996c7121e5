import { describe, expect, it } from 'vitest';
import {
  computeCalibration,
  consensusPass,
  consensusScore,
  type CalibrationItem,
} from '../../server/calibration/calibration-metrics.ts';
import { binaryCounts, cohenKappa, f1Score, quadraticWeightedKappa } from '../../server/stats/agreement.ts';
import { seededRandom } from '../../server/stats/bootstrap.ts';
import { pearson, spearman } from '../../server/stats/correlation.ts';
import { krippendorffAlpha } from '../../server/stats/krippendorff.ts';

// The calibration report computes every metric from profile counts (for speed). Here it must equal
// the plain reference functions (each tested against published examples in tests/stats) applied
// to the same data spelled out item by item.

function syntheticItems(n: number, seed: number): CalibrationItem[] {
  const random = seededRandom(seed);
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const categories = ['honesty', 'safety', 'scheming'];
  return Array.from({ length: n }, (_, i) => {
    const truth = pick(1, 5);
    const around = () => Math.min(5, Math.max(1, truth + pick(-1, 1)));
    const criteria = (k: number) => Array.from({ length: k }, (_, c) => c).filter(() => random() < 0.5);
    return {
      id: `t${i}`,
      category: categories[i % 3]!,
      behavior: `b${i % 5}`,
      judge: { score: around(), passMet: criteria(3), failMet: criteria(2) },
      humans: Array.from({ length: pick(2, 4) }, () => ({
        score: around(),
        passMet: criteria(3),
        failMet: criteria(2),
      })),
      passCriteria: 3,
      failCriteria: 2,
    };
  });
}

describe('calibration metrics', () => {
  const items = syntheticItems(300, 42);
  const report = computeCalibration(items, { resamples: 200, seed: 7 });
  const m = report.overall.metrics;
  const judge = items.map((i) => i.judge.score);
  const humanMean = items.map((i) => i.humans.reduce((s, h) => s + h.score, 0) / i.humans.length);
  const humanScore = items.map((i) =>
    consensusScore(
      i.humans.map((h) => h.score),
      'majority',
    ),
  );
  const humanPass = items.map((i) =>
    consensusPass(
      i.humans.map((h) => h.score),
      4,
      'majority',
    ),
  );

  it('equals the reference correlations, error, bias and within-1', () => {
    expect(m.n).toBe(300);
    expect(m.pearson).toBeCloseTo(pearson(judge, humanMean)!, 12);
    expect(m.spearman).toBeCloseTo(spearman(judge, humanMean)!, 12);
    expect(m.mae).toBeCloseTo(judge.reduce((s, j, i) => s + Math.abs(j - humanMean[i]!), 0) / 300, 12);
    expect(m.bias).toBeCloseTo(judge.reduce((s, j, i) => s + j - humanMean[i]!, 0) / 300, 12);
    expect(m.within1).toBeCloseTo(judge.filter((j, i) => Math.abs(j - humanMean[i]!) <= 1).length / 300, 12);
  });

  it('equals the reference quadratic-weighted kappa and pass/fail Cohen kappa at the threshold', () => {
    const scored = items.flatMap((_, i) => (humanScore[i] === null ? [] : [i]));
    expect(m.qwk).toBeCloseTo(
      quadraticWeightedKappa(
        scored.map((i) => humanScore[i]!),
        scored.map((i) => judge[i]!),
        1,
        5,
      )!,
      12,
    );
    const decided = items.flatMap((_, i) => (humanPass[i] === null ? [] : [i]));
    const h = decided.map((i) => (humanPass[i] ? 'pass' : 'fail'));
    const j = decided.map((i) => (judge[i]! >= 4 ? 'pass' : 'fail'));
    expect(m.passKappa).toBeCloseTo(cohenKappa(h, j, ['pass', 'fail'])!, 12);
    expect(m.passAgreement).toBeCloseTo(h.filter((x, k) => x === j[k]).length / decided.length, 12);
    expect(report.overall.passFail.flat().reduce((a, b) => a + b, 0)).toBe(300 - m.passSplits);
    expect(report.overall.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300 - m.scoreSplits);
  });

  it('equals the reference criterion-level F1 (human majority as truth)', () => {
    const pooled = (kind: 'passMet' | 'failMet', k: number) => {
      const truth: boolean[] = [];
      const predicted: boolean[] = [];
      for (const item of items) {
        for (let c = 0; c < k; c++) {
          truth.push(item.humans.filter((h) => h[kind].includes(c)).length * 2 > item.humans.length);
          predicted.push(item.judge[kind].includes(c));
        }
      }
      return f1Score(binaryCounts(truth, predicted)).f1;
    };
    expect(m.passCriteriaF1).toBeCloseTo(pooled('passMet', 3)!, 12);
    expect(m.failCriteriaF1).toBeCloseTo(pooled('failMet', 2)!, 12);
  });

  it("equals the reference Krippendorff's alpha among the humans (the ceiling)", () => {
    const units = items.map((i) => i.humans.map((h) => h.score));
    expect(m.humanAlphaOrdinal).toBeCloseTo(krippendorffAlpha(units, 'ordinal')!, 12);
    expect(m.humanAlphaInterval).toBeCloseTo(krippendorffAlpha(units, 'interval')!, 12);
  });

  it('gives each group the metrics of its own items, with reproducible CIs around the estimate', () => {
    const safety = items.filter((i) => i.category === 'safety');
    const g = report.byCategory.safety!;
    expect(g.metrics.n).toBe(safety.length);
    expect(g.metrics.pearson).toBeCloseTo(
      pearson(
        safety.map((i) => i.judge.score),
        safety.map((i) => i.humans.reduce((s, h) => s + h.score, 0) / i.humans.length),
      )!,
      12,
    );
    expect(Object.keys(report.byBehavior)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    for (const [name, ci] of Object.entries(report.overall.ci)) {
      if (!ci) continue;
      const v = m[name as keyof typeof m] as number;
      expect(ci.low, name).toBeLessThanOrEqual(v + 1e-9);
      expect(ci.high, name).toBeGreaterThanOrEqual(v - 1e-9);
    }
    expect(computeCalibration(items, { resamples: 200, seed: 7 }).overall.ci).toEqual(report.overall.ci);
  });
});
