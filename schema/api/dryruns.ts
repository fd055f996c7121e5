import { z } from 'zod';
import { ModelInfoSchema, ModelParamsSchema, ModelRolesSchema } from '../models.ts';
import { TranscriptEventSchema } from '../transcript.ts';

// GET /api/models
export const ModelsResponseSchema = z.object({
  models: z.array(ModelInfoSchema),
  roles: ModelRolesSchema,
  /** Where the models file is read from, and whether it exists. */
  configPath: z.string(),
  configFound: z.boolean(),
});
export type ModelsResponse = z.infer<typeof ModelsResponseSchema>;

/** The pseudo-model id for play-the-model mode: the author types the replies. */
export const HUMAN_MODEL = 'human';

// POST /api/dryruns: answers with a server-sent event stream, one `transcript` event per TranscriptEvent
export const StartDryRunRequestSchema = z.object({
  content: z.string().min(1).describe('The scenario YAML to run (may be an unsaved draft).'),
  model: z.string().min(1).describe(`A configured model id, or "${HUMAN_MODEL}" to type the model's replies.`),
  params: ModelParamsSchema.optional(),
  variant: z
    .string()
    .min(1)
    .max(400)
    .optional()
    .describe('The variant to run, by id, when the scenario declares variables (default: its first variant).'),
});
export type StartDryRunRequest = z.infer<typeof StartDryRunRequestSchema>;

// POST /api/dryruns/:id/reply (play-the-model mode)
export const HumanReplyRequestSchema = z.object({ text: z.string().min(1).max(100_000) });

/** A stored dry-run in lists. */
export const DryRunSummarySchema = z.object({
  id: z.string(),
  scenarioId: z.string(),
  contentHash: z.string(),
  model: z.string(),
  params: ModelParamsSchema,
  status: z.enum(['running', 'completed', 'stopped', 'failed', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number().nullable(),
  latencyMs: z.number().nullable(),
  ttftMs: z.number().nullable(),
  error: z.string().nullable(),
  redFlags: z.number().int(),
  /** The scenario this transcript ran a variant of (`scenarioId` is then the variant's id), and its values; null without variables. */
  variantOf: z.string().nullable(),
  variantValues: z.record(z.string(), z.string()).nullable(),
});
export type DryRunSummary = z.infer<typeof DryRunSummarySchema>;

// GET /api/dryruns/:id
export const DryRunSchema = DryRunSummarySchema.extend({
  scenarioContent: z.string(),
  events: z.array(TranscriptEventSchema),
});
export type DryRun = z.infer<typeof DryRunSchema>;

// GET /api/dryruns?scenarioId=
export const DryRunListQuerySchema = z.object({ scenarioId: z.string().min(1).max(120) });

// POST /api/dryruns/escalate
export const EscalateRequestSchema = z.object({
  content: z.string().min(1),
  dryRunId: z
    .string()
    .optional()
    .describe('The transcript to escalate from (default: none, draft from the scenario alone).'),
});
export const EscalateResponseSchema = z.object({
  turn: z.object({
    content: z.string(),
    tactic: z.string(),
    when: z.enum(['always', 'model_complied', 'model_refused']),
  }),
  rationale: z.string(),
  model: z.string(),
});
export type EscalateResponse = z.infer<typeof EscalateResponseSchema>;
