import { z } from 'zod';

// Contracts of /api/import: bring other tools' material in as draft scenarios and taxonomy
// behaviours. The files travel as text; nothing is written by a preview, and an apply writes
// everything of the import or nothing.

/** The formats `import` reads. */
export const ImportFormatSchema = z
  .enum(['openai-tools', 'inspect', 'bloom', 'petri', 'promptfoo'])
  .describe(
    'openai-tools: tool definitions; inspect: dataset JSON/JSONL/CSV, or a JSON eval log (transcripts); bloom: behaviors.json, ideation.json, or judgment.json with its transcripts (or one transcript); petri: seed instructions (JSON list or .md seeds) or an audit transcript; promptfoo: a config with multi-turn tests.',
  );
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

// POST /api/import/preview, POST /api/import/apply
export const ImportRequestSchema = z.object({
  format: ImportFormatSchema,
  /**
   * The file to import first; then files it refers to (promptfoo's `file://` prompts and tools, by
   * name). For petri, several .md seeds are all imported.
   */
  files: z
    .array(
      z.object({
        name: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[^/\\]+$/, 'a file name, without folders'),
        content: z.string(),
      }),
    )
    .min(1)
    .max(200),
  category: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe('Category for new behaviours (default: named after the format).'),
  behavior: z.string().min(1).max(120).optional().describe('Behaviour of the drafts (default: from the source).'),
  into: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe('openai-tools only: add the tools to this existing scenario instead of making a draft.'),
  presence: z
    .enum(['aligned', 'misaligned'])
    .optional()
    .describe(
      "Bloom transcripts: whether the behaviour's presence is aligned (a propensity to care) or misaligned (default, as sycophancy); decides the direction of behavior_presence on the alignment scale.",
    ),
  only: z
    .array(z.string().min(1).max(200))
    .max(10_000)
    .optional()
    .describe(
      'Ids of the scenarios and behaviours to import, as a preview listed them (default: all); a chosen draft brings the new behaviour it needs.',
    ),
});
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

/** What an import did (or, for a preview, would do), item by item. */
export const ImportReportSchema = z.object({
  format: ImportFormatSchema,
  file: z.string(),
  dryRun: z.boolean(),
  behaviours: z.array(
    z.object({ item: z.string(), id: z.string(), category: z.string(), action: z.enum(['add', 'unchanged']) }),
  ),
  scenarios: z.array(
    z.object({
      item: z.string(),
      id: z.string(),
      /**
       * create: new; unchanged: already imported from the same item; kept: an existing, different
       * scenario is not overwritten; update: tools added to an existing scenario (openai-tools with `into`).
       */
      action: z.enum(['create', 'unchanged', 'kept', 'update']),
      reason: z.string().optional(),
      /** What the source had that the draft does not carry, and why. */
      dropped: z.array(z.string()),
      /** Fields filled with a `TODO (import)` placeholder for an author to write. */
      placeholders: z.array(z.string()),
      /** The draft as YAML. */
      yaml: z.string(),
    }),
  ),
  skipped: z.array(z.object({ item: z.string(), reason: z.string() })),
  /** Imported conversations (Bloom judgments and transcripts, Petri transcripts, Inspect eval logs). */
  transcripts: z.array(
    z.object({
      item: z.string(),
      /** The transcript's id (stable: derived from the source's content hash). */
      id: z.string(),
      /** The id of the scenario text it is stored with (not written to the corpus). */
      scenarioId: z.string(),
      model: z.string(),
      events: z.number().int(),
      /** create: new; unchanged: the same source item was imported before; duplicate: the same content as an earlier item of this file. */
      action: z.enum(['create', 'unchanged', 'duplicate']),
      reason: z.string().optional(),
      dropped: z.array(z.string()),
      /** The source's own scores: raw (JSON) and on the alignment scale (null: no known scale, or not an alignment measure). */
      scores: z.array(
        z.object({
          scorer: z.string(),
          raw: z.string(),
          alignment: z.number().int().nullable(),
          /** add: new; unchanged: stored with this value; kept: stored with another value, which stays. */
          action: z.enum(['add', 'unchanged', 'kept']),
        }),
      ),
    }),
  ),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;
