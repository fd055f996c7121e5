import { createHash } from 'node:crypto';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { variantsOf } from '../../schema/scenario-variables.ts';
import { raterViewHash } from '../studies/rater-view.ts';
import { checkScenarioText } from './scenario.check.ts';
import { searchTextOf, type SearchField } from './search-match.ts';
import type { ScenarioFileRef } from './scenario.paths.ts';
import type { NewScenarioRow } from './scenario.table.ts';

/** The version of a file's text: what a save must be based on (sent as `baseHash`). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The index row for one scenario file. Invalid files are indexed too (with their diagnostics and
 * whatever fields could be read), so the author can find and fix them in the studio.
 */
export function rowOfScenarioFile(
  ref: ScenarioFileRef,
  text: string,
  stamp: { mtimeMs: number; size: number },
  taxonomy: Taxonomy,
): NewScenarioRow {
  const { scenario, diagnostics } = checkScenarioText(text, { taxonomy, fileId: ref.id, folder: ref.folder || undefined });
  const raw = scenario ?? looseFields(text);
  const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  const turns = Array.isArray(raw.turns) ? (raw.turns as { content?: unknown; tactic?: unknown }[]) : [];
  const searchable: { field: SearchField; text: string }[] = [
    { field: 'id', text: ref.id },
    { field: 'title', text: str(raw.title) },
    { field: 'summary', text: str(raw.summary) },
    { field: 'behaviour', text: str(raw.behavior) },
    ...(Array.isArray(raw.tags) ? raw.tags.map((t) => ({ field: 'tag' as const, text: str(t) })) : []),
    ...turns.flatMap((t) => [
      { field: 'turn' as const, text: str(t?.content) },
      { field: 'tactic' as const, text: str(t?.tactic) },
    ]),
  ];
  return {
    rel_path: ref.relPath,
    id: ref.id,
    folder: ref.folder,
    title: str(raw.title, ref.id),
    category: str(raw.category, ref.folder),
    behavior: str(raw.behavior),
    difficulty: str(raw.difficulty),
    status: str(raw.status, 'draft'),
    summary: str(raw.summary),
    search_text: searchTextOf(searchable),
    content_hash: contentHash(text),
    rater_view_hash: raterViewHash(text, scenario),
    turn_count: turns.length,
    variant_count: scenario ? variantsOf(scenario).length : 1,
    tool_count: Array.isArray(raw.tools) ? raw.tools.length : 0,
    error_count: diagnostics.filter((d) => d.severity === 'error').length,
    warning_count: diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics: JSON.stringify(diagnostics),
    size_bytes: stamp.size,
    mtime_ms: stamp.mtimeMs,
    indexed_at: new Date().toISOString(),
  };
}

// For a schema-invalid file: the top-level fields as written, so it still lists under its category.
function looseFields(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+):\s*(\S.*)$/.exec(line);
    if (m && !(m[1]! in out)) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  return out;
}
