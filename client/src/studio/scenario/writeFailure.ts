import type { Diagnostic } from '../../../../schema/diagnostic.ts';
import { ApiError } from '../../api/client.ts';

/**
 * A failed write (save, save as new, reload) as the session's error: a message and, for a
 * validation failure, its issues as located problems, so the problems panel and the editor can
 * point at them like at the live check's.
 */
export function writeFailure(e: unknown, prefix: string): { message: string; issues: Diagnostic[] } {
  if (!(e instanceof ApiError))
    return { message: `${prefix}: ${e instanceof Error ? e.message : String(e)}`, issues: [] };
  const issues: Diagnostic[] = (e.envelope.issues ?? []).map((i) => ({
    severity: 'error',
    source: 'schema',
    message: i.message,
    path: i.path ?? [],
    line: i.line ?? 1,
    column: i.column ?? 1,
    endLine: i.line ?? 1,
    endColumn: (i.column ?? 1) + 1,
  }));
  return { message: `${prefix}: ${e.message}`, issues };
}
