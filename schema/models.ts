import { z } from 'zod';

// The models configuration file (crucible.models.yaml, path in CRUCIBLE_MODELS). It names
// providers and models; API keys are never written here: a provider names the environment
// variable that holds its key (set in the environment or in the local secrets file).

const ConfigId = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'ids use letters, digits, ".", "_" and "-"');

export const ProviderKindSchema = z.enum(['openai', 'anthropic', 'openai-compatible']);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

export const ProviderConfigSchema = z.strictObject({
  id: ConfigId.describe('How models refer to this provider.'),
  kind: ProviderKindSchema.describe(
    'openai (Chat Completions), anthropic (Messages), or openai-compatible (vLLM, Ollama, llama.cpp, OpenRouter, LM Studio).',
  ),
  base_url: z
    .url()
    .optional()
    .describe('API base URL, e.g. http://localhost:11434/v1. Required for openai-compatible.'),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name, e.g. OPENAI_API_KEY')
    .optional()
    .describe('The environment variable holding the API key. Never put the key itself in this file.'),
  headers: z.record(z.string(), z.string()).optional().describe('Extra request headers (not secrets).'),
  max_concurrency: z
    .number()
    .int()
    .min(1)
    .max(1024)
    .optional()
    .describe(
      "Run workers (npm run crucible -- worker): this provider's items at once in one worker (default: its --per-provider).",
    ),
});
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

/** Sampling parameters; recorded in every transcript. */
export const ModelParamsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().min(1).max(200_000).optional(),
  top_p: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  thinking_budget_tokens: z
    .number()
    .int()
    .min(1024)
    .max(128_000)
    .optional()
    .describe(
      "Anthropic models: turn extended thinking on with this token budget; the thinking is kept in transcripts as reasoning. OpenAI-compatible servers return a reasoning model's thinking without it.",
    ),
});
export type ModelParams = z.infer<typeof ModelParamsSchema>;

export const ModelConfigSchema = z.strictObject({
  id: ConfigId.describe('The name Crucible shows and stores, e.g. gpt-4.1-mini.'),
  provider: ConfigId.describe('A provider id from `providers`.'),
  model: z.string().min(1).describe("The provider's model name."),
  params: ModelParamsSchema.optional(),
  cost: z
    .strictObject({
      input_per_mtok: z.number().min(0).describe('USD per million input tokens.'),
      output_per_mtok: z.number().min(0).describe('USD per million output tokens.'),
    })
    .optional(),
  timeout_ms: z.number().int().min(1000).max(600_000).optional().describe('Per-call timeout (default 120000).'),
  judge_context_tokens: z
    .number()
    .int()
    .min(1000)
    .max(10_000_000)
    .optional()
    .describe(
      'When this model judges: the most prompt tokens to send (estimated at 4 characters a token; default 100000). A longer transcript is shortened in the middle, marked as such, and the verdict records it.',
    ),
  family: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe('The model family, e.g. claude-sonnet: charts over time draw one line per family.'),
  version: z.string().min(1).max(80).optional().describe('The version within its family, e.g. 4.5.'),
  released: z.iso
    .date('a date as YYYY-MM-DD, e.g. 2025-09-29')
    .optional()
    .describe('Release date (YYYY-MM-DD): where the model sits on charts of scores over time.'),
  max_retries: z
    .number()
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe(
      'Retries of a failed call (429, 5xx, network) with exponential backoff before the error is shown (default 2).',
    ),
});
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const ModelRolesSchema = z.strictObject({
  referee: ConfigId.optional().describe(
    'Decides conditional turns (model_refused, model_complied, free-text conditions).',
  ),
  simulator: ConfigId.optional().describe('Invents results for tools in simulator mode.'),
  simulated_user: ConfigId.optional().describe('Plays the user for adaptive escalation.'),
  escalation_drafter: ConfigId.optional().describe('Drafts the next pressure turn in the studio.'),
});
export type ModelRoles = z.infer<typeof ModelRolesSchema>;

export const ModelsFileSchema = z
  .strictObject({
    providers: z.array(ProviderConfigSchema).default([]),
    models: z.array(ModelConfigSchema).default([]),
    roles: ModelRolesSchema.default({}),
  })
  .superRefine((file, ctx) => {
    const providers = new Set(file.providers.map((p) => p.id));
    file.providers.forEach((p, i) => {
      if (p.kind === 'openai-compatible' && !p.base_url) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', i, 'base_url'],
          message: 'an openai-compatible provider needs base_url',
        });
      }
    });
    const models = new Set<string>();
    file.models.forEach((m, i) => {
      if (!providers.has(m.provider))
        ctx.addIssue({ code: 'custom', path: ['models', i, 'provider'], message: `unknown provider "${m.provider}"` });
      if (models.has(m.id))
        ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `model id "${m.id}" is used twice` });
      models.add(m.id);
    });
    for (const [role, id] of Object.entries(file.roles)) {
      if (id && !models.has(id))
        ctx.addIssue({ code: 'custom', path: ['roles', role], message: `unknown model "${id}"` });
    }
  });
export type ModelsFile = z.infer<typeof ModelsFileSchema>;

/** What the studio may know of a model: never a key, never a key's value. */
export const ModelInfoSchema = z.object({
  id: z.string(),
  provider: z.string(),
  kind: ProviderKindSchema,
  model: z.string(),
  params: ModelParamsSchema,
  /** Family, version and release date from the models file (null when not given). */
  family: z.string().nullable(),
  version: z.string().nullable(),
  released: z.string().nullable(),
  /** False when the provider's key variable is not set: the model cannot be called. */
  ready: z.boolean(),
  problem: z.string().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
