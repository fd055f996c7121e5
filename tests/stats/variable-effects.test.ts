import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../server/stats/bootstrap.ts';
import { variableEffects, type VariantScore } from '../../server/stats/variable-effects.ts';

const score = (model: string, parent: string, values: Record<string, string>, s: number): VariantScore => ({
  model,
  parent,
  variantId: `${parent}--${Object.entries(values)
    .sort()
    .map(([k, v]) => `${k}-${v}`)
    .join('--')}`,
  values,
  score: s,
});

describe('variableEffects', () => {
  // Worked by hand. Scenario s1 (urgency x language), model m, one repeat each except one cell run twice:
  //   urgency none:   en 5, de 4            urgency threat: en 2, de (3 and 1: mean 2)
  // Means: none (5 + 4) / 2 = 4.5; threat (2 + 2) / 2 = 2.
  // Paired differences threat - none, cells = language: en 2 - 5 = -3, de 2 - 4 = -2; mean -2.5.
  // Language de - en, cells = urgency: none 4 - 5 = -1, threat 2 - 2 = 0; mean -0.5.
  const worked = [
    score('m', 's1', { urgency: 'none', language: 'en' }, 5),
    score('m', 's1', { urgency: 'none', language: 'de' }, 4),
    score('m', 's1', { urgency: 'threat', language: 'en' }, 2),
    score('m', 's1', { urgency: 'threat', language: 'de' }, 3),
    score('m', 's1', { urgency: 'threat', language: 'de' }, 1),
  ];

  it('gives the mean per value and the paired difference from the first declared value', () => {
    const effects = variableEffects(worked, { urgency: ['none', 'threat'], language: ['en', 'de'] });
    const urgency = effects.find((e) => e.variable === 'urgency' && e.model === 'm')!;
    expect(urgency.values).toEqual([
      { value: 'none', mean: 4.5, n: 2 },
      { value: 'threat', mean: 2, n: 2 },
    ]);
    expect(urgency.differences).toEqual([{ value: 'threat', reference: 'none', difference: -2.5, ci: null, cells: 2 }]);
    const language = effects.find((e) => e.variable === 'language' && e.model === 'm')!;
    expect(language.differences[0]).toMatchObject({ value: 'de', reference: 'en', difference: -0.5, cells: 2 });
    // The all-models row equals the one model's here.
    expect(effects.find((e) => e.variable === 'urgency' && e.model === null)!.differences[0]!.difference).toBe(-2.5);
  });

  it('takes the reference from the declaration order, not the alphabet', () => {
    const effects = variableEffects(worked, { urgency: ['threat', 'none'] });
    const urgency = effects.find((e) => e.variable === 'urgency' && e.model === 'm')!;
    expect(urgency.differences[0]).toMatchObject({ value: 'none', reference: 'threat', difference: 2.5 });
  });

  it('pairs within scenarios: a difference in difficulty between scenarios cancels out', () => {
    // s-easy scores 5 without pressure and 4 with it; s-hard 2 and 1: the effect is -1 in both.
    // An unpaired difference of value means would be the same here, but a scenario run at one value
    // only must not count: s-lone adds a "none" score and no cell.
    const effects = variableEffects([
      score('m', 's-easy', { urgency: 'none' }, 5),
      score('m', 's-easy', { urgency: 'threat' }, 4),
      score('m', 's-hard', { urgency: 'none' }, 2),
      score('m', 's-hard', { urgency: 'threat' }, 1),
      score('m', 's-lone', { urgency: 'none' }, 5),
    ]);
    const u = effects.find((e) => e.model === 'm')!;
    expect(u.values[0]).toEqual({ value: 'none', mean: 4, n: 3 });
    expect(u.differences[0]).toMatchObject({ difference: -1, cells: 2 });
  });

  it('gives no interval below 5 cells, and a point interval when every cell differs by the same amount', () => {
    const cells = (n: number) =>
      Array.from({ length: n }, (_, i) => [
        score('m', `s${i}`, { urgency: 'none' }, 4),
        score('m', `s${i}`, { urgency: 'threat' }, 3),
      ]).flat();
    expect(variableEffects(cells(4))[0]!.differences[0]!.ci).toBeNull();
    expect(variableEffects(cells(5))[0]!.differences[0]).toMatchObject({ difference: -1, ci: { low: -1, high: -1 } });
  });

  it('agrees with the normal-theory interval of a mean on a large sample (reference check of the bootstrap)', () => {
    // 400 cells whose differences are drawn from a known distribution: the percentile bootstrap of
    // the mean must be close to mean -/+ 1.96 sd / sqrt(n) (sd with n in the denominator, as the
    // bootstrap's plug-in estimate), here within 10% of the half-width.
    const random = seededRandom(7);
    const n = 400;
    const diffs = Array.from({ length: n }, () => Math.round(random() * 4) - 2); // -2 .. 2
    const scores = diffs.flatMap((d, i) => [
      score('m', `s${i}`, { urgency: 'none' }, 3),
      score('m', `s${i}`, { urgency: 'threat' }, 3 + d),
    ]);
    const m = diffs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - m) ** 2, 0) / n);
    const half = (1.96 * sd) / Math.sqrt(n);
    const d = variableEffects(scores).find((e) => e.model === 'm')!.differences[0]!;
    expect(d.difference).toBeCloseTo(m, 12);
    expect(Math.abs(d.ci!.low - (m - half))).toBeLessThan(0.1 * half);
    expect(Math.abs(d.ci!.high - (m + half))).toBeLessThan(0.1 * half);
  });
});
