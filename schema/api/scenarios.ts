import { z } from 'zod';
import { DiagnosticSchema } from '../diagnostic.ts';
import { DifficultySchema, ScenarioIdSchema, ScenarioStatusSchema } from '../scenario.ts';

// Contracts of /api/scenarios. Content travels as the file's YAML text: files are the truth,
// and the editor edits text (comments and layout survive). `hash` is the sha256 of that text,
// the version a save must be based on.

/** One row of the scenario browser. */
export const ScenarioSummarySchema = z.object({
  id: z.string(),
  relPath: z.string(),
  title: z.string(),
  category: z.string(),
  behavior: z.string(),
  difficulty: z.string(),
  status: z.string(),
  summary: z.string(),
  turnCount: z.number().int(),
  /** How many variants the scenario gives (1 without variables): the items it adds to a run per model and repeat. */
  variants: z.number().int(),
  toolCount: z.number().int(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  hash: z.string(),
  /** Meets the acceptance rule of a realism study on its current version. */
  validated: z.boolean(),
  /** With a search: where its first matching word was found (field, turn, a lower-cased excerpt). */
  match: z
    .object({
      field: z.enum(['id', 'title', 'summary', 'behaviour', 'tag', 'turn', 'tactic']),
      turn: z.number().int().optional(),
      excerpt: z.string(),
      start: z.number().int(),
      length: z.number().int(),
    })
    .optional(),
});
export type ScenarioSummary = z.infer<typeof ScenarioSummarySchema>;

const FacetCounts = z.record(z.string(), z.number().int());

/** Rows of a list page when none is asked for, and the most one page may hold. */
export const SCENARIO_LIST_DEFAULT_LIMIT = 100;
export const SCENARIO_LIST_MAX_LIMIT = 1000;

// GET /api/scenarios
export const ScenarioListQuerySchema = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('Words that must all appear in id, title, summary or turns (case-insensitive).'),
  category: z.string().max(120).optional(),
  behavior: z.string().max(120).optional(),
  status: ScenarioStatusSchema.optional(),
  difficulty: DifficultySchema.optional(),
  problems: z.enum(['errors', 'warnings']).optional().describe('Only files with errors (or warnings).'),
  validated: z
    .enum(['yes'])
    .optional()
    .describe("Only scenarios whose version meets a realism study's acceptance rule."),
  /** A page, never the whole list (issue 20 point 7): the studio reads windows of rows as its list scrolls. */
  limit: z.coerce.number().int().min(1).max(SCENARIO_LIST_MAX_LIMIT).default(SCENARIO_LIST_DEFAULT_LIMIT),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ScenarioListQuery = z.input<typeof ScenarioListQuerySchema>;

export const ScenarioListResponseSchema = z.object({
  total: z.number().int().describe('Matches before limit/offset.'),
  items: z.array(ScenarioSummarySchema),
  /** Counts per facet value, each computed with every filter except its own (classic faceted search). */
  facets: z.object({
    category: FacetCounts,
    behavior: FacetCounts,
    status: FacetCounts,
    difficulty: FacetCounts,
  }),
});
export type ScenarioListResponse = z.infer<typeof ScenarioListResponseSchema>;

// GET /api/scenarios/run-scope: how many scenarios (and variants) a run with this filter would cover
export const RunScopeQuerySchema = z.object({
  scope: z.enum(['validated', 'ready', 'all']).default('validated'),
  category: z.string().max(120).optional(),
  behavior: z.string().max(120).optional(),
});
export const RunScopeCountSchema = z.object({ scenarios: z.number().int(), variants: z.number().int() });
export type RunScopeCount = z.infer<typeof RunScopeCountSchema>;

// GET /api/scenarios/:id
export const ScenarioDocumentSchema = z.object({
  id: z.string(),
  relPath: z.string(),
  content: z.string(),
  hash: z.string(),
  diagnostics: z.array(DiagnosticSchema),
  /** This version meets a realism study's acceptance rule. */
  validated: z.boolean(),
});
export type ScenarioDocument = z.infer<typeof ScenarioDocumentSchema>;

const Content = z.string().min(1, 'content is empty');
const BaseHash = z.string().regex(/^[0-9a-f]{64}$/, 'baseHash must be the 64-hex sha256 the document was loaded with');

// POST /api/scenarios/check
export const CheckScenarioRequestSchema = z.object({ id: z.string().optional(), content: z.string() });
export const CheckScenarioResponseSchema = z.object({ diagnostics: z.array(DiagnosticSchema) });

// POST /api/scenarios
export const CreateScenarioRequestSchema = z.object({ content: Content });
// POST /api/scenarios/from-template
export const CreateFromTemplateRequestSchema = z.object({
  id: ScenarioIdSchema,
  category: z.string().min(1),
  behavior: z.string().min(1),
  title: z.string().min(1).max(200).optional(),
});
// PUT /api/scenarios/:id
export const SaveScenarioRequestSchema = z.object({ content: Content, baseHash: BaseHash });
// POST /api/scenarios/:id/duplicate
export const DuplicateScenarioRequestSchema = z.object({ newId: ScenarioIdSchema });
// POST /api/scenarios/:id/rename
export const RenameScenarioRequestSchema = z.object({ newId: ScenarioIdSchema, baseHash: BaseHash });
// POST /api/scenarios/:id/status
export const SetStatusRequestSchema = z.object({ status: ScenarioStatusSchema, baseHash: BaseHash });
// DELETE /api/scenarios/:id?baseHash=
export const DeleteScenarioQuerySchema = z.object({ baseHash: BaseHash });

/** What every write answers with: where the file now is and its new version. */
export const ScenarioWriteResultSchema = z.object({ id: z.string(), relPath: z.string(), hash: z.string() });
export type ScenarioWriteResult = z.infer<typeof ScenarioWriteResultSchema>;

/** 409 body: the envelope plus the version now on disk, so the editor can show both. */
export const ScenarioConflictSchema = z.object({
  error: z.object({ code: z.literal('conflict'), message: z.string() }),
  current: z.object({ content: z.string(), hash: z.string() }).nullable(),
});
export type ScenarioConflict = z.infer<typeof ScenarioConflictSchema>;

/** Server-sent event on GET /api/scenarios/events: a file was added, changed or removed. */
export const ScenarioChangeEventSchema = z.object({
  kind: z.enum(['upsert', 'remove']),
  id: z.string(),
  relPath: z.string(),
  hash: z.string().nullable(),
});
export type ScenarioChangeEvent = z.infer<typeof ScenarioChangeEventSchema>;
