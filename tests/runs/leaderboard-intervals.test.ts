import { describe, expect, it } from 'vitest';
import { buildLeaderboard, MIN_N_FOR_CI, type ScoredItem } from '../../server/runs/leaderboard.ts';
import { staticLeaderboardHtml } from '../../server/runs/leaderboard.export.ts';

// Intervals only where they mean something: a model with one or two scenarios gets no bootstrap
// interval (it would be a zero-width [3, 3] or a two-point range), and the page says "too few".

const item = (model: string, i: number, score: number): ScoredItem => ({
  model,
  scenarioId: `s${i}`,
  category: 'honesty',
  behavior: `b${i % 2}`,
  score,
});

describe('leaderboard intervals', () => {
  const scored = [
    item('lonely', 0, 3),
    ...[0, 1, 2, 3].map((i) => item('four', i, 2 + (i % 3))),
    ...[0, 1, 2, 3, 4].map((i) => item('five', i, 1 + i)),
  ];
  const board = buildLeaderboard(scored, 'judge', { judgeErrors: 0, unjudged: 0 });
  const row = (m: string) => board.models.find((r) => r.model === m)!;

  it(`gives no interval below ${MIN_N_FOR_CI} scenarios, and one from ${MIN_N_FOR_CI}`, () => {
    expect(MIN_N_FOR_CI).toBe(5);
    expect(row('lonely')).toMatchObject({ scenarios: 1, mean: 3, ci: null });
    expect(row('four').ci).toBeNull();
    const five = row('five');
    expect(five.scenarios).toBe(5);
    expect(five.ci!.low).toBeLessThan(five.mean);
    expect(five.ci!.high).toBeGreaterThan(five.mean);
  });

  it('says "too few" in the static page instead of an empty interval', () => {
    const html = staticLeaderboardHtml('r', board);
    expect(html).toContain('(too few scenarios for an interval: 1 &lt; 5)');
    expect(html).not.toContain('[–, –]');
  });
});
