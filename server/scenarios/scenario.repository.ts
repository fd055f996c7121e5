import type { Db } from '../db/database.ts';
import { forgetListCounts } from './scenario-list.cache.ts';
import type { NewScenarioRow, ScenarioRow } from './scenario.table.ts';
import { confirmVocab, removeSearchWords, writeSearchWords } from './search-word.repository.ts';

/** Rows per INSERT: 23 columns each, well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 200;

/**
 * Inserts or replaces index rows, in one transaction (one commit for a whole batch), many rows per
 * statement: one statement per row spent more time preparing statements than storing rows.
 * `postings`: the rows' words as a fresh block of the word index stores them (writeSearchWords).
 */
export async function upsertScenarioRows(db: Db, rows: NewScenarioRow[], postings?: Map<string, string>): Promise<void> {
  if (rows.length === 0) return;
  const vocab = new Set<string>();
  try {
    await db.transaction().execute(async (trx) => {
      // The word index changes with the rows, in their transaction: a search never sees one without the other.
      const docs = await writeSearchWords(trx, rows, vocab, db, postings);
      const numbered = rows.map((row) => ({ ...row, search_doc: docs.get(row.rel_path)! }));
      for (let i = 0; i < numbered.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('scenario')
          .values(numbered.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) =>
            oc.column('rel_path').doUpdateSet((eb) => {
              // Every column but the key takes the value the row would have inserted.
              const set: Record<string, unknown> = {};
              for (const column of Object.keys(numbered[0]!) as (keyof NewScenarioRow)[]) {
                if (column !== 'rel_path') set[column] = eb.ref(`excluded.${column}`);
              }
              return set as never; // a column-by-column object Kysely cannot type from a key list
            }),
          )
          .execute();
      }
    });
    confirmVocab(db, vocab);
  } finally {
    forgetListCounts(db); // the list's kept counts are of the index before this write
  }
}

/** Records new size and mtime for files whose text is unchanged (touched, or checked out again). */
export async function updateScenarioFileStamps(
  db: Db,
  stamps: { rel_path: string; mtime_ms: number; size_bytes: number }[],
): Promise<void> {
  if (stamps.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const s of stamps) {
      await trx
        .updateTable('scenario')
        .set({ mtime_ms: s.mtime_ms, size_bytes: s.size_bytes })
        .where('rel_path', '=', s.rel_path)
        .execute();
    }
  });
}

/** The content hash the index holds for each of these paths. */
export async function findContentHashes(db: Db, relPaths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < relPaths.length; i += 500) {
    const rows = await db
      .selectFrom('scenario')
      .select(['rel_path', 'content_hash'])
      .where('rel_path', 'in', relPaths.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.rel_path, r.content_hash);
  }
  return out;
}

export async function deleteScenarioRows(db: Db, relPaths: string[]): Promise<void> {
  if (relPaths.length === 0) return;
  try {
    await db.transaction().execute(async (trx) => {
      await removeSearchWords(trx, relPaths);
      for (let i = 0; i < relPaths.length; i += 500) {
        await trx
          .deleteFrom('scenario')
          .where('rel_path', 'in', relPaths.slice(i, i + 500))
          .execute();
      }
    });
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

/** Each scenario not retired, with its behaviour. */
export async function listLiveScenarioBehaviours(db: Db): Promise<{ id: string; behavior: string }[]> {
  return db.selectFrom('scenario').select(['id', 'behavior']).where('status', '!=', 'retired').execute();
}

/** Every indexed scenario's content hash, by id. */
export async function contentHashesById(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('scenario').select(['id', 'content_hash']).execute();
  return new Map(rows.map((s) => [s.id, s.content_hash]));
}

/**
 * The indexed file without errors that uses the most of the scenario schema (the most tools, then
 * turns), or null: the one the run engine's warm-up checks (run-engine-warm-up.ts).
 */
export async function richestCleanScenarioPath(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('scenario')
    .select('rel_path')
    .where('error_count', '=', 0)
    .orderBy('tool_count', 'desc')
    .orderBy('turn_count', 'desc')
    .orderBy('rel_path')
    .limit(1)
    .executeTakeFirst();
  return row?.rel_path ?? null;
}
