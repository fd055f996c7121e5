import { describe, expect, it } from 'vitest';
import type { ItemAnalysisRow } from '../../schema/api/analysis.ts';
import { benchmarkHealth } from '../../server/analysis/benchmark-health.ts';

const row = (scenarioId: string, behavior: string, flags: ItemAnalysisRow['flags'], itemRest: number | null) =>
  ({ scenarioId, behavior, category: 'c', mean: 3, flags, itemRest }) as ItemAnalysisRow;

describe('benchmarkHealth', () => {
  const behaviours = ['empty', 'easy', 'thin', 'unrated', 'flat', 'hard', 'fine'].map((id) => ({
    id,
    name: id,
    category: 'c',
  }));
  const scenarios = [
    ...['e1', 'e2', 'e3'].map((id) => ({ id, behavior: 'easy' })),
    { id: 't1', behavior: 'thin' },
    ...['u1', 'u2', 'u3'].map((id) => ({ id, behavior: 'unrated' })),
    ...['f1', 'f2', 'f3'].map((id) => ({ id, behavior: 'flat' })),
    ...['h1', 'h2', 'h3'].map((id) => ({ id, behavior: 'hard' })),
    ...['g1', 'g2', 'g3'].map((id) => ({ id, behavior: 'fine' })),
  ];
  const validated = new Set(['e1', 't1', 'f1', 'h1', 'g1']);
  const items = [
    row('e1', 'easy', ['ceiling', 'no-separation'], null),
    row('e2', 'easy', ['ceiling'], 0.1),
    row('f1', 'flat', ['no-separation'], 0.05),
    row('h1', 'hard', ['floor'], 0.4),
    row('h2', 'hard', ['floor'], 0.6),
    row('g1', 'fine', [], 0.5),
    row('g2', 'fine', ['noisy'], 0.7),
  ];
  const health = benchmarkHealth({ behaviours, scenarios, validated, items });
  const of = (id: string) => health.find((h) => h.behavior === id)!;

  it('gives each behaviour the most urgent reason to write for it, most urgent first', () => {
    expect(health.map((h) => [h.behavior, h.writeNext?.priority ?? null])).toEqual([
      ['empty', 1],
      ['easy', 2],
      ['thin', 3],
      ['unrated', 4],
      ['flat', 5],
      ['hard', 6],
      ['fine', null],
    ]);
    expect(of('easy').writeNext!.reason).toBe('every run scenario is at the ceiling: write harder ones');
  });

  it('counts coverage, ceiling, floor and separating scenarios, and averages item-rest over defined values', () => {
    expect(of('easy')).toMatchObject({ scenarios: 3, validated: 1, analysed: 2, ceiling: 2, floor: 0, separating: 1 });
    expect(of('easy').meanItemRest).toBeCloseTo(0.1, 10);
    expect(of('fine')).toMatchObject({ separating: 2, meanScore: 3 });
    expect(of('fine').meanItemRest).toBeCloseTo(0.6, 10);
    expect(of('empty')).toMatchObject({ scenarios: 0, analysed: 0, meanScore: null, meanItemRest: null });
  });
});
