import type { Document, LineCounter, Node } from 'yaml';
import { spanOfOffsets, type Span } from './yaml-location.ts';

/**
 * Where `needle` (a placeholder, as written) sits inside the scalar at `path`: a problem with one
 * placeholder in a long block of text is then reported at its own line and column, not at the
 * start of the block. Null when the node or the needle is not found as written (an escaped
 * double-quoted string, say): the caller keeps the node's span.
 */
export function spanOfNeedle(
  doc: Document,
  lineCounter: LineCounter,
  source: string,
  path: readonly (string | number)[],
  needle: string,
): Span | null {
  const node = doc.getIn(path, true) as Node | undefined;
  const range = node?.range;
  if (!range) return null;
  const at = source.indexOf(needle, range[0]);
  if (at < 0 || at + needle.length > range[1]) return null;
  return spanOfOffsets(lineCounter, at, at + needle.length);
}
