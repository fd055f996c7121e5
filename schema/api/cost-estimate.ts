import { z } from 'zod';

// POST /api/dryruns/estimate: what a dry-run of the editor's text may cost on a model, shown
// before it is run. An estimate from the text, never a measurement: the method is stated with it.

export const CostEstimateRequestSchema = z.object({
  content: z.string().min(1),
  model: z.string().min(1),
  /** A variant id of a scenario with variables (default: the first, as a dry-run). */
  variant: z.string().min(1).optional(),
});
export type CostEstimateRequest = z.infer<typeof CostEstimateRequestSchema>;

const Range = z.object({ min: z.number(), max: z.number() });

export const CostEstimateSchema = z.object({
  model: z.string(),
  /** Calls to the target model: the live turns (or steps) for sure, up to all of them. */
  calls: Range,
  inputTokens: Range,
  outputTokens: Range,
  /** USD from the models file's prices; null when the model has none. */
  costUsd: Range.nullable(),
  /** How the figures were made, in one paragraph for the author. */
  method: z.string(),
  /** Why this model cannot run the scenario as written (a prefill on a provider without it), if so. */
  problem: z.string().nullable(),
});
export type CostEstimate = z.infer<typeof CostEstimateSchema>;
