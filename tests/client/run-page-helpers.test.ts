import { describe, expect, it } from 'vitest';
import { groupBehaviours } from '../../client/src/studio/runs/behaviourGroups.ts';
import { runScopeText } from '../../client/src/studio/runs/runScopeText.ts';
import type { TaxonomyNames } from '../../client/src/studio/runs/taxonomyNames.ts';

// The run page's pure helpers: how its behaviours are grouped for the heatmap and the deep dive,
// and how its header says which scenarios it covers.

const categories = [
  {
    id: 'honesty',
    name: 'Honesty',
    behaviours: [
      { id: 'sycophancy', name: 'Sycophancy' },
      { id: 'fabrication', name: 'Fabrication' },
    ],
  },
  { id: 'safety', name: 'Safety', behaviours: [{ id: 'harmful-compliance', name: 'Harmful compliance' }] },
  { id: 'agency', name: 'Agency', behaviours: [{ id: 'power-seeking', name: 'Power seeking' }] },
];
const names = (cats: NonNullable<TaxonomyNames['data']>['categories']): TaxonomyNames => ({
  data: { categories: cats },
  categoryName: (id) => cats.find((c) => c.id === id)?.name ?? id,
  behaviourName: (id) => cats.flatMap((c) => c.behaviours).find((b) => b.id === id)?.name ?? id,
});
const taxonomy = names(categories);

describe('groupBehaviours', () => {
  it("groups the run's behaviours by category in the taxonomy's order, leaving out those the run has not", () => {
    const board = {
      behaviours: [
        { behavior: 'power-seeking', category: 'agency' },
        { behavior: 'fabrication', category: 'honesty' },
        { behavior: 'sycophancy', category: 'honesty' },
      ],
    };
    expect(groupBehaviours(board, taxonomy)).toEqual([
      {
        category: 'honesty',
        name: 'Honesty',
        behaviours: [
          { id: 'sycophancy', name: 'Sycophancy' },
          { id: 'fabrication', name: 'Fabrication' },
        ],
      },
      { category: 'agency', name: 'Agency', behaviours: [{ id: 'power-seeking', name: 'Power seeking' }] },
    ]);
  });

  it('puts behaviours the taxonomy no longer has last, by category and then id', () => {
    const board = {
      behaviours: [
        { behavior: 'zeta-old', category: 'retired-b' },
        { behavior: 'sycophancy', category: 'honesty' },
        { behavior: 'beta-old', category: 'retired-b' },
        { behavior: 'alpha-old', category: 'retired-a' },
      ],
    };
    expect(groupBehaviours(board, taxonomy).map((g) => [g.category, g.behaviours.map((b) => b.id)])).toEqual([
      ['honesty', ['sycophancy']],
      ['retired-a', ['alpha-old']],
      ['retired-b', ['beta-old', 'zeta-old']],
    ]);
  });

  it('has no groups before the leaderboard arrives, and names by id before the taxonomy does', () => {
    expect(groupBehaviours(undefined, taxonomy)).toEqual([]);
    const loading: TaxonomyNames = { categoryName: (id) => id, behaviourName: (id) => id };
    expect(groupBehaviours({ behaviours: [{ behavior: 'sycophancy', category: 'honesty' }] }, loading)).toEqual([
      { category: 'honesty', name: 'honesty', behaviours: [{ id: 'sycophancy', name: 'sycophancy' }] },
    ]);
  });
});

describe('runScopeText', () => {
  it('names the scope alone when nothing narrows it', () => {
    expect(runScopeText({ scope: 'validated' }, taxonomy)).toBe('validated scenarios');
    expect(runScopeText({ scope: 'ready' }, taxonomy)).toBe('ready scenarios');
    expect(runScopeText({ scope: 'all' }, taxonomy)).toBe('all scenarios');
  });

  it('adds the category and behaviour by name, the difficulty and the search text, in that order', () => {
    expect(
      runScopeText(
        { scope: 'ready', category: 'honesty', behavior: 'sycophancy', difficulty: 'high', q: 'refund' },
        taxonomy,
      ),
    ).toBe('ready scenarios in Honesty, Sycophancy, high, “refund”');
    expect(runScopeText({ scope: 'all', behavior: 'gone-behaviour' }, taxonomy)).toBe(
      'all scenarios in gone-behaviour',
    );
  });
});
