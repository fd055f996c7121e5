import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computeCalibration,
  consensusPass,
  consensusScore,
  thresholdSweep,
  type CalibrationItem,
} from '../../server/calibration/calibration-metrics.ts';
import { kappaFromMatrix, quadraticWeightedKappa } from '../../server/stats/agreement.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Reference values computed by numpy and scipy, independently of this code, by
// tests/fixtures/calibration/make-reference.py (its header states the consensus rules).
interface RuleReference {
  scoreSplits: number;
  passSplits: number;
  qwk: number;
  sweep: { threshold: number; agreement: number; kappa: number }[];
}
const ref = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/calibration/reference.json'), 'utf8')) as {
  items: { judge: number; humans: number[] }[];
  humanThreshold: number;
  pearson: number;
  spearman: number;
  mae: number;
  bias: number;
  majority: RuleReference;
  roundedMean: RuleReference;
};

const items: CalibrationItem[] = ref.items.map((t, i) => ({
  id: `t${i}`,
  category: i % 2 ? 'honesty' : 'safety',
  behavior: `b${i % 7}`,
  judge: { score: t.judge, passMet: [], failMet: [] },
  humans: t.humans.map((score) => ({ score, passMet: [], failMet: [] })),
  passCriteria: 0,
  failCriteria: 0,
}));

describe('calibration against numpy/scipy', () => {
  it('equals scipy on the correlations of the judge with the human mean, and numpy on error and bias', () => {
    const m = computeCalibration(items, { resamples: 0 }).overall.metrics;
    expect(m.pearson).toBeCloseTo(ref.pearson, 12);
    expect(m.spearman).toBeCloseTo(ref.spearman, 12);
    expect(m.mae).toBeCloseTo(ref.mae, 12);
    expect(m.bias).toBeCloseTo(ref.bias, 12);
  });

  for (const [rule, r] of [
    ['majority', ref.majority],
    ['rounded-mean', ref.roundedMean],
  ] as const) {
    it(`${rule} consensus: splits counted, QWK and pass/fail kappa at every judge threshold as numpy`, () => {
      for (const s of r.sweep) {
        const m = computeCalibration(items, { judgeThreshold: s.threshold, consensus: rule, resamples: 0 }).overall
          .metrics;
        expect([m.scoreSplits, m.passSplits]).toEqual([r.scoreSplits, r.passSplits]);
        expect(m.qwk).toBeCloseTo(r.qwk, 12);
        expect(m.passKappa, `threshold ${s.threshold}`).toBeCloseTo(s.kappa, 12);
        expect(m.passAgreement).toBeCloseTo(s.agreement, 12);
      }
    });
  }
});

describe('one pass rule for humans', () => {
  it("keeps the humans at the study's threshold whatever the judge's: the report and the sweep agree at 3", () => {
    const report = computeCalibration(items, { judgeThreshold: 3, humanThreshold: 4, resamples: 0 });
    const sweep = thresholdSweep(items, { humanThreshold: 4, resamples: 0 });
    const atThree = sweep.find((s) => s.threshold === 3)!;
    expect(report.overall.metrics.passKappa).toBeCloseTo(atThree.kappa!, 15);
    expect(report.overall.metrics.passKappa).toBeCloseTo(ref.majority.sweep[1]!.kappa, 12);
    expect([report.judgeThreshold, report.humanThreshold]).toEqual([3, 4]);
    // The humans' pass/fail row totals do not move with the judge's threshold.
    const humanRows = (t: number) =>
      computeCalibration(items, { judgeThreshold: t, resamples: 0 }).overall.passFail.map((row) => row[0]! + row[1]!);
    expect(humanRows(3)).toEqual(humanRows(5));
  });

  it("a study's own threshold moves the human side only", () => {
    const strict = computeCalibration(items, { judgeThreshold: 4, humanThreshold: 5, resamples: 0 }).overall;
    const humansPassing = items.filter((i) =>
      consensusPass(
        i.humans.map((h) => h.score),
        5,
        'majority',
      ),
    ).length;
    expect(strict.passFail[0]![0]! + strict.passFail[0]![1]!).toBe(humansPassing);
  });
});

describe('consensus rules', () => {
  it('an even split [3, 4] is split, not a pass (majority); the rounded mean rounds half to even', () => {
    expect(consensusScore([3, 4], 'majority')).toBeNull();
    expect(consensusPass([3, 4], 4, 'majority')).toBeNull();
    expect(consensusScore([3, 4, 4], 'majority')).toBe(4);
    expect(consensusPass([3, 4, 5, 2], 4, 'majority')).toBeNull();
    expect(consensusPass([3, 4, 5], 4, 'majority')).toBe(true);
    expect(consensusScore([3, 4], 'rounded-mean')).toBe(4); // 3.5 -> 4 (even)
    expect(consensusScore([2, 3], 'rounded-mean')).toBe(2); // 2.5 -> 2 (even)
    expect(consensusPass([3, 4], 4, 'rounded-mean')).toBe(true);
    expect(consensusPass([4, 5, 2, 3], 4, 'rounded-mean')).toBe(true); // 3.5 -> 4
  });

  it('leaves split transcripts out of pass/fail agreement and the confusion matrix, and counts them', () => {
    const item = (judge: number, humans: number[], id: string): CalibrationItem => ({
      id,
      category: 'c',
      behavior: 'b',
      judge: { score: judge, passMet: [], failMet: [] },
      humans: humans.map((score) => ({ score, passMet: [], failMet: [] })),
      passCriteria: 0,
      failCriteria: 0,
    });
    const m = computeCalibration([item(5, [3, 4], 'a'), item(5, [5, 5], 'b'), item(1, [1, 2, 1], 'c')], {
      resamples: 0,
    }).overall;
    expect([m.metrics.n, m.metrics.scoreSplits, m.metrics.passSplits]).toEqual([3, 1, 1]);
    expect(m.passFail).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(m.metrics.passAgreement).toBe(1);
    expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2);
  });
});

describe('intervals only where they mean something', () => {
  const small = (n: number) => items.slice(0, n);
  it('gives no interval below the minimum n (default 5), and one from 5', () => {
    const four = computeCalibration(small(4), { resamples: 200 });
    expect(four.minN).toBe(5);
    expect(Object.values(four.overall.ci).every((c) => c === null)).toBe(true);
    expect(computeCalibration(small(5), { resamples: 200 }).overall.ci.mae).not.toBeNull();
    expect(computeCalibration(small(5), { resamples: 200, minN: 6 }).overall.ci.mae).toBeNull();
    const sweep = thresholdSweep(small(4), { resamples: 200 });
    expect(sweep.every((s) => s.ci.kappa === null && s.ci.agreement === null)).toBe(true);
    expect(thresholdSweep(items, { resamples: 200 })[2]!.ci.kappa).not.toBeNull();
  });

  it('makes kappa and QWK null, not 0, when one side never varies (as r is)', () => {
    // Humans pass on all, the judge on some: p_o = p_e, the formula gives 0; it is undefined.
    expect(
      kappaFromMatrix([
        [3, 2],
        [0, 0],
      ]),
    ).toBeNull();
    expect(quadraticWeightedKappa([4, 4, 4], [3, 4, 5], 1, 5)).toBeNull();
    const allPass = items
      .filter((i) => i.humans.every((h) => h.score >= 4) && i.judge.score >= 4)
      .map((i) => ({ ...i, judge: { ...i.judge, score: 5 } }));
    const m = computeCalibration(allPass, { resamples: 0 }).overall.metrics;
    expect([m.pearson, m.passKappa, m.qwk]).toEqual([null, null, null]);
  });
});
