import { z } from 'zod';

/** A problem found in a scenario file, located by line and column (1-based) for editors and the CLI. */
export const DiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  source: z
    .enum(['yaml', 'schema', 'corpus'])
    .describe(
      'yaml: not parseable; schema: violates the scenario schema; corpus: conflicts with the taxonomy, the file name or other scenarios.',
    ),
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;
