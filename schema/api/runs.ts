import { z } from 'zod';
import { DifficultySchema } from '../scenario.ts';
import { QuickRunRequestSchema, QuickRunSchema } from './quick-runs.ts';

// Benchmark runs: scenarios x target models x repeats, judged by one judge version.

export const RunSettingsSchema = z.strictObject({
  models: z.array(z.string().min(1)).min(1).max(100),
  repeats: z.number().int().min(1).max(20).default(1),
  filter: z
    .strictObject({
      category: z.string().max(120).optional(),
      behavior: z.string().max(120).optional(),
      difficulty: DifficultySchema.optional(),
      q: z.string().max(200).optional(),
      /** validated: scenarios that meet a realism study's rule (the default); ready: status ready; all: every valid, non-retired scenario. */
      scope: z.enum(['validated', 'ready', 'all']).default('validated'),
    })
    .default({ scope: 'validated' }),
  judgeVersionId: z.string().uuid().optional().describe('Default: the default judge, if any.'),
  /** Only these scenarios, every one required: a quick run's anchors, or a leaderboard's scenarios for a model added to it. */
  scenarioIds: z.array(z.string().min(1).max(200)).min(1).max(100_000).optional(),
  /** Set on a quick run: the anchor subset it runs and how it was chosen (see quick-runs.ts). */
  quick: QuickRunSchema.optional(),
  concurrency: z.number().int().min(1).max(256).default(16),
  perProviderConcurrency: z.number().int().min(1).max(256).default(8),
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(4)
    .describe('Tries per item for transient faults (429, 5xx, timeouts, cut streams).'),
  useCache: z
    .boolean()
    .default(true)
    .describe('Reuse a finished transcript with the same scenario version, model, parameters, seed and repeat.'),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

// POST /api/runs
export const CreateRunRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  settings: RunSettingsSchema,
  /** A quick run: the server chooses about k anchor scenarios and runs only those. */
  quick: QuickRunRequestSchema.optional(),
});
export type CreateRunRequest = z.input<typeof CreateRunRequestSchema>;

/** Tokens and cost of some model calls; cost null when no model involved has prices in the models file. */
export const TokenUsageSchema = z.object({ input: z.number(), output: z.number(), costUsd: z.number().nullable() });
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const RunProgressSchema = z.object({
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  running: z.number(),
  cached: z.number(),
  retries: z.number(),
  itemsPerMinute: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  /** Per target model. */
  tokens: z.record(z.string(), TokenUsageSchema),
  /** Per judge model: every judge call made for this run's items (retries and malformed verdicts included). */
  judgeTokens: z.record(z.string(), TokenUsageSchema),
  /** Targets and judge together. */
  totalTokens: TokenUsageSchema,
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'stopped', 'completed', 'failed']),
  settings: RunSettingsSchema,
  judgeVersionId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  progress: RunProgressSchema,
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
