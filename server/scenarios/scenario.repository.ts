import type { Db } from '../db/database.ts';
import { forgetListCounts } from './scenario-list.cache.ts';
import type { NewScenarioRow, ScenarioRow } from './scenario.table.ts';

/** Inserts or replaces index rows, in one transaction (one commit for a whole batch). */
export async function upsertScenarioRows(db: Db, rows: NewScenarioRow[]): Promise<void> {
  if (rows.length === 0) return;
  try {
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
  } finally {
    forgetListCounts(db); // the list's kept counts are of the index before this write
  }
}

export async function deleteScenarioRows(db: Db, relPaths: string[]): Promise<void> {
  if (relPaths.length === 0) return;
  try {
    await db.deleteFrom('scenario').where('rel_path', 'in', relPaths).execute();
  } finally {
    forgetListCounts(db);
  }
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

export { listScenarios, summaryOfRow } from './scenario-list.query.ts';
