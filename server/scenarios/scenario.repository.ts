import { sql, type ExpressionBuilder } from 'kysely';
import type { ScenarioListQuerySchema, ScenarioListResponse, ScenarioSummary } from '../../schema/api/scenarios.ts';
import type { Database, Db } from '../db/database.ts';
import type { NewScenarioRow, ScenarioRow } from './scenario.table.ts';
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

/** The scenario browser's query: filters, words, facet counts, duplicates counted as errors. */
export async function listScenarios(db: Db, query: ListQuery): Promise<ScenarioListResponse> {
  const where = (eb: ExpressionBuilder<Database, 'scenario'>, except?: Facet) => {
    const conds = [];
    for (const facet of FACETS) {
      const value = query[facet];
      if (facet !== except && value) conds.push(eb(facet, '=', value));
    }
    for (const word of (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
      conds.push(sql<boolean>`search_text like ${`%${escapeLike(word)}%`} escape '\\'`);
    }
    if (query.problems === 'errors') conds.push(eb.or([eb('error_count', '>', 0), eb(duplicateCount(eb), '>', 1)]));
    if (query.problems === 'warnings') conds.push(eb('warning_count', '>', 0));
    return eb.and(conds);
  };

  const rows = await db
    .selectFrom('scenario')
    .selectAll()
    .select((eb) => duplicateCount(eb).as('dup_count'))
    .where((eb) => where(eb))
    .orderBy('category')
    .orderBy('behavior')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const total = await db
    .selectFrom('scenario')
    .select(db.fn.countAll<number>().as('n'))
    .where((eb) => where(eb))
    .executeTakeFirstOrThrow();

  const facets = {} as ScenarioListResponse['facets'];
  for (const facet of FACETS) {
    const counts = await db
      .selectFrom('scenario')
      .select([facet, db.fn.countAll<number>().as('n')])
      .where((eb) => where(eb, facet))
      .groupBy(facet)
      .execute();
    facets[facet] = Object.fromEntries(counts.map((c) => [String(c[facet]), Number(c.n)]));
  }
  return { total: Number(total.n), items: rows.map((r) => summaryOfRow(r, Number(r.dup_count))), facets };
}

function duplicateCount(eb: ExpressionBuilder<Database, 'scenario'>) {
  return eb
    .selectFrom('scenario as other')
    .select(eb.fn.countAll<number>().as('n'))
    .whereRef('other.id', '=', 'scenario.id');
}

export function summaryOfRow(row: ScenarioRow, dupCount: number): ScenarioSummary {
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
    toolCount: row.tool_count,
    errorCount: row.error_count + (dupCount > 1 ? 1 : 0),
    warningCount: row.warning_count,
    hash: row.content_hash,
  };
}

// LIKE treats % and _ as wildcards; a search for "50%" must find the literal text.
function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (m) => `\\${m}`);
}
