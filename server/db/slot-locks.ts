import { sql, type Transaction } from 'kysely';
import { isPostgres } from './dialect.ts';

/** The rows of a table that stand for the items of one study (a study's scenarios, its transcripts). */
export interface ItemRows {
  table: string;
  /** The column that names the study, and the study's id. */
  scope: { column: string; value: string };
  /** The column that names the item. */
  idColumn: string;
}

/**
 * Locks the row of one item until the transaction ends: the first of `ids` (most wanted first) that
 * no other transaction holds. PostgreSQL: `FOR NO KEY UPDATE SKIP LOCKED` in that order, so
 * assignments that want different items run side by side, and one that finds its favourite taken
 * moves on to the next instead of waiting. When every one of them is held: with `wait`, it waits
 * for the first (near the end of a study a free slot may be behind a lock, and must not be missed);
 * without, it answers 'all-held'. Only a transaction that holds no other item's lock may wait, or
 * two could wait for each other. Returns the locked item's id, or null when none of them exists.
 * SQLite: the first id, with no lock: its one writer runs one transaction at a time.
 */
export async function lockFirstFreeItem<DB>(
  trx: Transaction<DB>,
  rows: ItemRows,
  ids: string[],
  wait: boolean,
): Promise<string | 'all-held' | null> {
  if (ids.length === 0) return null;
  if (!isPostgres(trx)) return ids[0]!;
  const { table, scope, idColumn } = rows;
  const free = await sql<{ id: string }>`
    select ${sql.ref(idColumn)} as id from ${sql.table(table)}
    where ${sql.ref(scope.column)} = ${scope.value} and ${sql.ref(idColumn)} = any(${ids}::text[])
    order by array_position(${ids}::text[], ${sql.ref(idColumn)})
    limit 1
    for no key update skip locked`.execute(trx);
  if (free.rows[0]) return free.rows[0].id;
  if (!wait) return 'all-held';
  const first = await sql<{ id: string }>`
    select ${sql.ref(idColumn)} as id from ${sql.table(table)}
    where ${sql.ref(scope.column)} = ${scope.value} and ${sql.ref(idColumn)} = ${ids[0]!}
    for no key update`.execute(trx);
  return first.rows[0]?.id ?? null;
}

/**
 * Thrown inside a transaction that found every item it wanted held by others while it holds an
 * item's lock itself: rolling back (releasing that lock) and starting again with fresh counts is
 * what it must do instead of waiting. `retriedAssignment` does that.
 */
export class ItemsAllHeld extends Error {
  constructor() {
    super('every wanted item is held by another assignment');
  }
}

/** Runs an assignment transaction again (up to `attempts` times) when it ended in ItemsAllHeld. */
export async function retriedAssignment<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ItemsAllHeld) || attempt >= attempts) throw err;
    }
  }
}
