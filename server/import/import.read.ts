import { isNode, type Document } from 'yaml';
import { parseYaml, positionOf, yamlValue, type ParsedYaml } from '../yaml/yaml-limits.ts';
import { ImportError } from './import.plan.ts';

// Every JSON, JSONL and YAML text an import reads is parsed here, through the same limited parser
// as scenario files (JSON is YAML), so an imported file cannot expand aliases or nest without
// bound, and every problem is placed at file:line:column.

/** A parsed document and a way to say where a path inside it sits in the file. */
export interface ReadDocument {
  value: unknown;
  /** `file:line:column` of the value at `path` (or of the nearest parent that exists). */
  at(path: readonly (string | number)[]): string;
}

/** Parses one JSON or YAML document; throws an ImportError at the first syntax or limit problem. */
export function readDocument(text: string, file: string, lineOffset = 0, item = 'document'): ReadDocument {
  const parsed = parseYaml(text);
  const problem = parsed.problems[0];
  if (problem) throw new ImportError(placeOf(file, parsed, problem.range[0], lineOffset), item, '', problem.message);
  const value = yamlValue(parsed);
  return { value, at: (path) => placeOf(file, parsed, offsetOf(parsed.doc, path), lineOffset) };
}

/** One document a line (JSON Lines); blank lines are skipped. Each value knows its line. */
export function readJsonLines(text: string, file: string): (ReadDocument & { line: number })[] {
  const out: (ReadDocument & { line: number })[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    out.push({ ...readDocument(line, file, i, `line ${i + 1}`), line: i + 1 });
  });
  return out;
}

function offsetOf(doc: Document, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function placeOf(file: string, parsed: ParsedYaml, offset: number, lineOffset: number): string {
  const { line, column } = positionOf(parsed, offset);
  return `${file}:${line + lineOffset}:${column}`;
}
