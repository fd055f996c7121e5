import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyseItems,
  groupScores,
  iccOneWay,
  itemRestCorrelations,
  pooledWithinSd,
  type ItemObservation,
} from '../../server/stats/item-analysis.ts';

interface Reference {
  observations: ItemObservation[];
  itemRest: Record<string, number>;
  icc: Record<string, number>;
  withinSd: Record<string, number>;
}
// Computed with numpy by tests/fixtures/items/make-reference.py (40 models x 20 items x 3 repeats, some cells missing).
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/items/reference.json', import.meta.url), 'utf8'),
) as Reference;

describe('item-rest correlation', () => {
  it('equals the numpy reference on every item', () => {
    const r = itemRestCorrelations(groupScores(reference.observations));
    expect(r.size).toBe(20);
    for (const [item, expected] of Object.entries(reference.itemRest)) expect(r.get(item)).toBeCloseTo(expected, 10);
  });

  it('is null with fewer than three models', () => {
    const obs = [
      { model: 'a', item: 'x', score: 5 },
      { model: 'a', item: 'y', score: 4 },
      { model: 'b', item: 'x', score: 1 },
      { model: 'b', item: 'y', score: 2 },
    ];
    expect(itemRestCorrelations(groupScores(obs)).get('x')).toBeNull();
  });
});

describe('ICC(1) over repeats', () => {
  it('matches Shrout & Fleiss (1979) Table 2: ICC(1,1) = .17', () => {
    // Six targets rated by four judges (Shrout & Fleiss, Psychological Bulletin 86(2), p. 423, Table 2 and 4).
    const targets = [
      [9, 2, 5, 8],
      [6, 1, 3, 2],
      [8, 4, 6, 8],
      [7, 1, 2, 6],
      [10, 5, 6, 9],
      [6, 2, 4, 7],
    ];
    expect(iccOneWay(targets)).toBeCloseTo(0.1657, 4);
  });

  it('equals the numpy reference with unequal group sizes, and the pooled SD too', () => {
    const byItem = groupScores(reference.observations);
    for (const [item, expected] of Object.entries(reference.icc)) {
      const groups = [...byItem.get(item)!.values()];
      expect(iccOneWay(groups)).toBeCloseTo(expected, 10);
      expect(pooledWithinSd(groups)).toBeCloseTo(reference.withinSd[item]!, 10);
    }
  });

  it('is undefined without repeats', () => {
    expect(iccOneWay([[1], [5], [3]])).toBeNull();
    expect(pooledWithinSd([[1], [5], [3]])).toBeNull();
  });
});

describe('analyseItems flags', () => {
  const obs = (rows: [string, string, number[]][]) =>
    rows.flatMap(([model, item, scores]) => scores.map((score) => ({ model, item, score })));
  const items = analyseItems(
    obs([
      // "easy": everyone passes; "hard": nobody passes; "good": tracks the models' overall order; "coin": repeats disagree.
      ['m1', 'easy', [5, 5]],
      ['m2', 'easy', [4, 5]],
      ['m3', 'easy', [5, 4]],
      ['m1', 'hard', [3, 3]],
      ['m2', 'hard', [1, 1]],
      ['m3', 'hard', [1, 1]],
      ['m1', 'good', [5, 5]],
      ['m2', 'good', [3, 3]],
      ['m3', 'good', [1, 1]],
      ['m1', 'coin', [1, 5]],
      ['m2', 'coin', [5, 1]],
      ['m3', 'coin', [1, 5]],
    ]),
  );
  const byId = new Map(items.map((i) => [i.item, i]));

  it('flags ceiling and floor by models passing', () => {
    expect(byId.get('easy')!.flags).toContain('ceiling');
    expect(byId.get('easy')!.modelsPassing).toBe(3);
    expect(byId.get('easy')!.passRate).toBe(1);
    expect(byId.get('hard')!.flags).toContain('floor');
    expect(byId.get('good')!.flags).not.toContain('ceiling');
    expect(byId.get('good')!.flags).not.toContain('floor');
    // Every model's mean is 3 on "coin", but each passes in one repeat: neither floor nor ceiling.
    expect(byId.get('coin')!.modelsPassing).toBe(0);
    expect(byId.get('coin')!.flags).not.toContain('floor');
    expect(byId.get('coin')!.flags).not.toContain('ceiling');
  });

  it('flags an item whose models all score the same as not separating them, and a discriminating one not', () => {
    expect(byId.get('coin')!.flags).toContain('no-separation');
    expect(byId.get('good')!.flags).not.toContain('no-separation');
    expect(byId.get('good')!.itemRest).toBeGreaterThan(0.2);
  });

  it('flags noisy repeats at a pooled SD of one point or more', () => {
    expect(byId.get('coin')!.repeatSd).toBeCloseTo(Math.sqrt(8), 10);
    expect(byId.get('coin')!.flags).toContain('noisy');
    expect(byId.get('good')!.repeatSd).toBe(0);
    expect(byId.get('good')!.reliability).toBe(1);
    expect(byId.get('good')!.flags).not.toContain('noisy');
  });
});
