import { sql } from 'kysely';
import type { ScenarioListQuerySchema, ScenarioListResponse, ScenarioSummary } from '../../schema/api/scenarios.ts';
import type { Db } from '../db/database.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { NewScenarioRow, ScenarioRow } from './scenario.table.ts';
import { findSearchMatch } from './search-match.ts';
import type { z } from 'zod';

type ListQuery = z.output<typeof ScenarioListQuerySchema>;
type Facet = 'category' | 'behavior' | 'status' | 'difficulty';
const FACETS: Facet[] = ['category', 'behavior', 'status', 'difficulty'];

/** Inserts or replaces index rows, in one transaction (one commit for a whole batch). */
export async function upsertScenarioRows(db: Db, rows: NewScenarioRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const { rel_path: _key, ...rest } = row;
      await trx
        .insertInto('scenario')
        .values(row)
        .onConflict((oc) => oc.column('rel_path').doUpdateSet(rest))
        .execute();
    }
  });
}

export async function deleteScenarioRows(db: Db, relPaths: string[]): Promise<void> {
  if (relPaths.length === 0) return;
  await db.deleteFrom('scenario').where('rel_path', 'in', relPaths).execute();
}

/** Every row with this id, first path first; more than one means a duplicate id on disk. */
export async function findScenarioRowsById(db: Db, id: string): Promise<ScenarioRow[]> {
  return db.selectFrom('scenario').selectAll().where('id', '=', id).orderBy('rel_path').execute();
}

/** What the indexer needs to decide whether a file changed since it was indexed. */
export async function listIndexedFileStamps(db: Db): Promise<{ rel_path: string; mtime_ms: number; size_bytes: number }[]> {
  return db.selectFrom('scenario').select(['rel_path', 'mtime_ms', 'size_bytes']).execute();
}

/** Counts of indexed scenarios per behaviour (for the taxonomy view). */
export async function countScenariosByBehavior(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('scenario').select(['behavior', db.fn.countAll<number>().as('n')]).groupBy('behavior').execute();
  return Object.fromEntries(rows.map((r) => [r.behavior, Number(r.n)]));
}

/**
 * The scenario browser's query: filters, words, facet counts, duplicates counted as errors.
 * One scan: the text match (the costly part) is evaluated once per row in SQL, and the facet
 * counts (each with every filter but its own) are then tallied over those rows here, instead of
 * six scans that each re-run the LIKEs.
 */
export async function listScenarios(
  db: Db,
  query: ListQuery,
  opts: { taxonomy?: Pick<Taxonomy, 'categories'>; validatedIds?: ReadonlySet<string> } = {},
): Promise<ScenarioListResponse> {
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  // The scan reads only what filtering and counting need; the shown rows' text comes after.
  const rows = await db
    .selectFrom('scenario')
    .select(['rel_path', 'id', 'category', 'behavior', 'difficulty', 'status', 'error_count', 'warning_count'])
    .select(
      words.length === 0
        ? sql<number>`1`.as('q_match')
        : sql<number>`(${sql.join(words.map((w) => sql`search_text like ${`%${escapeLike(w)}%`} escape '\\'`), sql` and `)})`.as('q_match'),
    )
    .execute();

  const idCounts = new Map<string, number>();
  for (const r of rows) idCounts.set(r.id, (idCounts.get(r.id) ?? 0) + 1);
  const hasErrors = (r: (typeof rows)[number]) => r.error_count > 0 || (idCounts.get(r.id) ?? 0) > 1;

  const matchesExcept = (r: (typeof rows)[number], except?: Facet) => {
    if (!r.q_match) return false;
    for (const facet of FACETS) if (facet !== except && query[facet] && r[facet] !== query[facet]) return false;
    if (query.problems === 'errors' && !hasErrors(r)) return false;
    if (query.problems === 'warnings' && r.warning_count === 0) return false;
    if (query.validated === 'yes' && !opts.validatedIds?.has(r.id)) return false;
    return true;
  };

  const facets = { category: {}, behavior: {}, status: {}, difficulty: {} } as ScenarioListResponse['facets'];
  const matching: (typeof rows)[number][] = [];
  for (const r of rows) {
    if (matchesExcept(r)) matching.push(r);
    for (const facet of FACETS) {
      if (matchesExcept(r, facet)) facets[facet][r[facet]] = (facets[facet][r[facet]] ?? 0) + 1;
    }
  }
  // In the taxonomy's order, as the sidebar lists categories and behaviours; ids the taxonomy does not know after them.
  const rank = taxonomyRank(opts.taxonomy);
  matching.sort(
    (a, b) =>
      rank.category(a.category) - rank.category(b.category) ||
      cmp(a.category, b.category) ||
      rank.behavior(a.behavior) - rank.behavior(b.behavior) ||
      cmp(a.behavior, b.behavior) ||
      cmp(a.id, b.id) ||
      cmp(a.rel_path, b.rel_path),
  );
  const page = matching.slice(query.offset, query.offset + query.limit);
  const full = new Map(
    (await scenarioRowsByPath(db, page.length === rows.length ? null : page.map((r) => r.rel_path), words.length > 0)).map((r) => [r.rel_path, r]),
  );
  const items = page.map((r) => {
    const row = full.get(r.rel_path)!;
    const summary = summaryOfRow(row, idCounts.get(r.id) ?? 1);
    const match = 'search_text' in row ? findSearchMatch(row.search_text, words) : null;
    return match ? { ...summary, match } : summary;
  });
  return { total: matching.length, items, facets };
}

const SUMMARY_COLUMNS = ['rel_path', 'id', 'title', 'category', 'behavior', 'difficulty', 'status', 'summary', 'turn_count', 'tool_count', 'error_count', 'warning_count', 'content_hash', 'variant_count'] as const;

/**
 * The listed columns of these rows (all rows when `relPaths` is null), in chunks SQLite accepts;
 * with the search text when a search needs to say where it matched.
 */
async function scenarioRowsByPath(db: Db, relPaths: string[] | null, withSearchText: boolean) {
  const columns = withSearchText ? [...SUMMARY_COLUMNS, 'search_text' as const] : SUMMARY_COLUMNS;
  if (relPaths === null) return db.selectFrom('scenario').select(columns).execute();
  const out = [];
  for (let i = 0; i < relPaths.length; i += 500) {
    out.push(...(await db.selectFrom('scenario').select(columns).where('rel_path', 'in', relPaths.slice(i, i + 500)).execute()));
  }
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Positions of categories and behaviours in the taxonomy (unknown ones last); all equal without one. */
function taxonomyRank(taxonomy: Pick<Taxonomy, 'categories'> | undefined) {
  const categories = new Map(taxonomy?.categories.map((c, i) => [c.id, i]));
  const behaviours = new Map(taxonomy?.categories.flatMap((c) => c.behaviours.map((b) => b.id)).map((id, i) => [id, i]));
  return {
    category: (id: string) => categories.get(id) ?? Number.MAX_SAFE_INTEGER,
    behavior: (id: string) => behaviours.get(id) ?? Number.MAX_SAFE_INTEGER,
  };
}

export function summaryOfRow(
  row: Pick<ScenarioRow, 'id' | 'rel_path' | 'title' | 'category' | 'behavior' | 'difficulty' | 'status' | 'summary' | 'turn_count' | 'tool_count' | 'error_count' | 'warning_count' | 'content_hash' | 'variant_count'>,
  dupCount: number,
): ScenarioSummary {
  return {
    id: row.id,
    relPath: row.rel_path,
    title: row.title,
    category: row.category,
    behavior: row.behavior,
    difficulty: row.difficulty,
    status: row.status,
    summary: row.summary,
    turnCount: row.turn_count,
    variants: row.variant_count,
    toolCount: row.tool_count,
    errorCount: row.error_count + (dupCount > 1 ? 1 : 0),
    warningCount: row.warning_count,
    hash: row.content_hash,
    validated: false,
  };
}

// LIKE treats % and _ as wildcards; a search for "50%" must find the literal text.
function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (m) => `\\${m}`);
}
