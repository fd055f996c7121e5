import { isMap, isPair, isScalar, LineCounter, type Document, type Node, type Pair } from 'yaml';

/** A 1-based span in a text file. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function spanOfOffsets(lineCounter: LineCounter, start: number, end: number): Span {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/**
 * The span of the YAML node at `path`, or of its closest existing ancestor when the path does not
 * exist (a missing key is reported at the map that should hold it). With `key` set, the span of
 * that key inside the map at `path` (for unknown keys).
 */
export function spanOfPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], key?: string): Span {
  let node: unknown = doc.contents;
  let best: Node | null = (doc.contents as Node | null) ?? null;
  let bestKey: Node | null = null;
  for (const segment of path) {
    if (!node || typeof node !== 'object') break;
    const child = childOf(node, segment);
    if (!child) break;
    bestKey = child.key;
    node = child.value;
    if (child.value && (child.value as Node).range) best = child.value as Node;
    else if (child.key?.range) best = child.key;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key) && pair.key.range) return spanOfOffsets(lineCounter, pair.key.range[0], pair.key.range[1]);
  }
  // A scalar value is highlighted whole; a collection only on its first line, via its key if it has one.
  if (best && isScalar(best) && best.range) return spanOfOffsets(lineCounter, best.range[0], best.range[1]);
  if (bestKey?.range) return spanOfOffsets(lineCounter, bestKey.range[0], bestKey.range[1]);
  if (best?.range) return spanOfOffsets(lineCounter, best.range[0], best.range[0] + 1);
  return { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function childOf(node: object, segment: PropertyKey): { key: Node | null; value: unknown } | null {
  const items = (node as { items?: unknown[] }).items;
  if (!Array.isArray(items)) return null;
  if (isMap(node)) {
    const pair = (items as Pair[]).find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
    return pair ? { key: pair.key as Node, value: pair.value } : null;
  }
  if (typeof segment === 'number' || /^\d+$/.test(String(segment))) {
    const item = items[Number(segment)];
    return item === undefined ? null : { key: null, value: item };
  }
  return null;
}
