import { z } from 'zod';

// Quick runs (issue 19 point 2): a run over an anchor subset of the benchmark, whose leaderboard
// estimates each model's full-benchmark score, overall and per category, with a stated error.

/** What a quick run records in its settings: the subset it ran and how it was chosen. */
export const QuickRunSchema = z.strictObject({
  /** Scenarios asked for (about: at least one per category). */
  k: z.number().int().min(1),
  /** The judge version whose runs the anchors were chosen from (the quick run is judged by it too). */
  basisJudgeVersionId: z.string(),
  /** The models whose scores chose the anchors, and how many scenarios the full benchmark has. */
  basisModels: z.array(z.string()),
  scenarios: z.number().int().min(1),
  /** The anchor-point method and its seed: the same data and seed choose the same anchors. */
  method: z.literal('anchor points (Polo et al. 2024), k-means per category'),
  seed: z.number().int(),
  anchors: z.array(
    z.strictObject({ scenarioId: z.string(), category: z.string(), contentHash: z.string(), weight: z.number() }),
  ),
  /** Half-widths of the 95% intervals of the overall and each category's estimated mean. */
  halfWidth: z.number(),
  categoryHalfWidths: z.record(z.string(), z.number()),
});
export type QuickRun = z.infer<typeof QuickRunSchema>;

/** POST /api/runs with `quick`: run only an anchor subset of about k scenarios. */
export const QuickRunRequestSchema = z.strictObject({ k: z.number().int().min(1).max(10_000) });

/** An estimate with its 95% interval. */
export interface EstimatedScore {
  estimate: number;
  low: number;
  high: number;
}

// GET /api/analysis/quick-runs/:id
export interface QuickRunEstimates {
  runId: string;
  quick: QuickRun;
  /** Per model: the estimated full-benchmark mean and each category's, from the anchors it ran. */
  models: {
    model: string;
    /** Anchors with a judged score, of all anchors; with some missing the weights are renormalised. */
    anchorsScored: number;
    overall: EstimatedScore | null;
    categories: ({ category: string } & EstimatedScore)[];
  }[];
}
