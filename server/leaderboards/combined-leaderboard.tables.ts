import type { Selectable } from 'kysely';

/** Leaderboards that combine comparable runs (migration 2026-11-30T0800-combined-leaderboards). */
export interface CombinedLeaderboardTable {
  id: string;
  name: string;
  created_by: string | null;
  created_at: string;
}

/** The runs on a leaderboard; the first one added sets what the others must match. */
export interface CombinedLeaderboardRunTable {
  leaderboard_id: string;
  run_id: string;
  added_at: string;
}
export type CombinedLeaderboardRow = Selectable<CombinedLeaderboardTable>;
