import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePaired, type CalibrationItem } from '../../server/calibration/calibration-metrics.ts';
import { calibrationSplit } from '../../server/calibration/calibration-split.ts';
import { promotionGuard } from '../../server/calibration/promotion-guard.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Held-out evaluation: the split a few-shot candidate learns from / is scored on, the paired
// bootstrap of a comparison (reference: numpy on the same resamples, by
// tests/fixtures/calibration/make-paired-reference.py), and the promotion guard.

describe('calibration split', () => {
  const items = ['honesty', 'safety'].flatMap((category) =>
    (['clear-pass', 'clear-fail', 'borderline'] as const).flatMap((stratum, s) =>
      Array.from({ length: 3 + 2 * s }, (_, i) => ({ transcriptId: `${category}-${stratum}-${i}`, category, stratum })),
    ),
  );

  it('splits half and half within every category x judge-score band, the same way for the same seed', () => {
    const split = calibrationSplit(items, 1, 0.5);
    expect(split.size).toBe(items.length);
    expect([...split.values()].filter((p) => p === 'learn').length).toBe(Math.round(items.length / 2));
    for (const category of ['honesty', 'safety'])
      for (const stratum of ['clear-pass', 'clear-fail', 'borderline']) {
        const here = items.filter((i) => i.category === category && i.stratum === stratum);
        const learn = here.filter((i) => split.get(i.transcriptId) === 'learn').length;
        expect(Math.abs(learn - here.length / 2), `${category} ${stratum}`).toBeLessThanOrEqual(1);
      }
    expect(calibrationSplit([...items].reverse(), 1, 0.5)).toEqual(split);
    expect(calibrationSplit(items, 2, 0.5)).not.toEqual(split);
    const third = calibrationSplit(items, 1, 0.3);
    expect([...third.values()].filter((p) => p === 'learn').length).toBe(Math.round(items.length * 0.3));
  });
});

const ref = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'tests/fixtures/calibration/paired-reference.json'), 'utf8'),
) as {
  items: { id: string; humans: number[]; current: number; candidate: number }[];
  seed: number;
  resamples: number;
  mae: { value: number; low: number; high: number };
  passKappa: { value: number; low: number; high: number };
};
const asItems = (who: 'current' | 'candidate'): CalibrationItem[] =>
  ref.items.map((t) => ({
    id: t.id,
    category: 'c',
    behavior: 'b',
    judge: { score: t[who], passMet: [], failMet: [] },
    humans: t.humans.map((score) => ({ score, passMet: [], failMet: [] })),
    passCriteria: 0,
    failCriteria: 0,
  }));

describe('paired comparison of two judge versions', () => {
  const cmp = comparePaired(asItems('current'), asItems('candidate'), { seed: ref.seed, resamples: ref.resamples });

  it('gives each difference and its paired bootstrap interval as numpy does on the same resamples', () => {
    expect(cmp.n).toBe(40);
    expect(cmp.difference.mae.value).toBeCloseTo(ref.mae.value, 12);
    expect(cmp.difference.mae.ci!.low).toBeCloseTo(ref.mae.low, 12);
    expect(cmp.difference.mae.ci!.high).toBeCloseTo(ref.mae.high, 12);
    expect(cmp.difference.passKappa.value).toBeCloseTo(ref.passKappa.value, 12);
    expect(cmp.difference.passKappa.ci!.low).toBeCloseTo(ref.passKappa.low, 12);
    expect(cmp.difference.passKappa.ci!.high).toBeCloseTo(ref.passKappa.high, 12);
  });

  it('compares only the transcripts both versions judged', () => {
    const partial = comparePaired(asItems('current'), asItems('candidate').slice(0, 30), { resamples: 0 });
    expect(partial.n).toBe(30);
    expect(partial.current.metrics.n).toBe(30);
  });

  it('guards promotion on the primary metric (MAE): ok when not worse beyond the interval, worse, or unknown', () => {
    expect(promotionGuard(cmp).status).toBe('ok'); // [-0.38, +0.13] straddles zero
    const worse = comparePaired(asItems('candidate'), asItems('current'), { seed: ref.seed, resamples: ref.resamples });
    expect(worse.difference.mae.ci!.low).toBeLessThan(0); // the reverse still straddles zero: not "worse"
    expect(promotionGuard(worse).status).toBe('ok');
    const ones = asItems('candidate').map((i) => ({ ...i, judge: { ...i.judge, score: 1 } }));
    const bad = comparePaired(asItems('candidate'), ones, { seed: ref.seed, resamples: ref.resamples });
    expect(bad.difference.mae.ci!.low).toBeGreaterThan(0);
    expect(promotionGuard(bad)).toMatchObject({ status: 'worse' });
    const few = comparePaired(asItems('current').slice(0, 4), asItems('candidate').slice(0, 4), { resamples: 100 });
    expect(few.difference.mae.ci).toBeNull();
    expect(promotionGuard(few)).toMatchObject({ status: 'unknown' });
  });
});
