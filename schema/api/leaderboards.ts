import { z } from 'zod';

// Leaderboards that combine comparable runs (issue 19 point 3): the same scenarios by content, the
// same judge version and repeats. A run that differs is refused with every reason it differs.

// POST /api/leaderboards
export const CreateLeaderboardRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  /** The first run: it sets the scenarios, judge version and repeats the others must match. */
  runId: z.string().uuid('not a run id'),
});

// POST /api/leaderboards/:id/runs
export const AddRunRequestSchema = z.strictObject({ runId: z.string().uuid('not a run id') });

// POST /api/leaderboards/:id/models: run only this model on the leaderboard's scenarios, and place it there
export const AddModelRequestSchema = z.strictObject({ model: z.string().min(1).max(64) });

export interface LeaderboardSummary {
  id: string;
  name: string;
  createdAt: string;
  runs: number;
  models: number;
}

/** A model's row: its measured scores and what the models file says of it. */
export interface CombinedModelRow {
  model: string;
  family: string | null;
  version: string | null;
  released: string | null;
  runId: string;
  scenarios: number;
  mean: number;
  ci: { low: number; high: number } | null;
  passRate: number | null;
  /** Mean score per category (categories the model ran). */
  categories: Record<string, number>;
}

// GET /api/leaderboards/:id
export interface CombinedLeaderboard {
  id: string;
  name: string;
  createdAt: string;
  judge: { id: string; name: string; version: number } | null;
  repeats: number | null;
  scenarios: number;
  runs: { id: string; name: string; status: string; models: string[]; addedAt: string }[];
  categories: string[];
  /** Best first. */
  models: CombinedModelRow[];
  judgeErrors: number;
  unjudged: number;
}
