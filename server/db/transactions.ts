import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from './dialect.ts';

// How the places that must stay correct with several server processes get their isolation (README:
// PostgreSQL, concurrency). SQLite runs one write transaction at a time (one process, one connection
// behind Kysely's mutex), so there every transaction is already serial; on PostgreSQL, whose default
// is READ COMMITTED, each such place takes a row lock (FOR UPDATE) or runs SERIALIZABLE with retry.

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
const UNIQUE_VIOLATION = '23505';

/** SQLite's and PostgreSQL's unique-constraint errors. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === UNIQUE_VIOLATION;
}

/** A transaction PostgreSQL aborted for another one's sake: running it again is the cure. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
}

/**
 * Runs `fn` in a SERIALIZABLE transaction on PostgreSQL, again (up to `attempts` times, after a
 * random pause that doubles with each attempt) when PostgreSQL aborts it for a concurrent one
 * (40001, 40P01) or, with `retryUniqueViolations`, when a concurrent insert took the same key first.
 * Of N transactions racing for one row, each round commits one and aborts the rest, so the last may
 * need N attempts: the growing pause spreads them out (16 at once through two server processes ran
 * out of 8 attempts with a flat pause of a few ms: tests/server/two-servers-writes.test.ts). On
 * SQLite a plain transaction, which is already serial. `fn` must do nothing outside the database it
 * cannot repeat.
 */
export async function serializableTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  opts: { attempts?: number; retryUniqueViolations?: boolean } = {},
): Promise<T> {
  if (!isPostgres(db)) return db.transaction().execute(fn);
  const attempts = opts.attempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(fn);
    } catch (err) {
      const retry = isRetryableConflict(err) || (opts.retryUniqueViolations === true && isUniqueViolation(err));
      if (!retry || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 4 * 2 ** attempt)));
    }
  }
}

/**
 * Runs `fn` in a transaction, again when PostgreSQL aborts it for a deadlock or a concurrent insert
 * took the same key first (a READ COMMITTED transaction that locks rows in an order it cannot
 * choose beforehand). SQLite: a plain transaction.
 */
export async function retriedTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      const retry = isPostgres(db) && (isRetryableConflict(err) || isUniqueViolation(err));
      if (!retry || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

/**
 * PostgreSQL: locks one row until the transaction ends (FOR NO KEY UPDATE: it does not block inserts
 * whose foreign key points at the row, which would invite deadlocks), so transactions that lock the
 * same row take turns, across processes. Each statement after it sees everything the ones before
 * committed (READ COMMITTED). SQLite: nothing to do, the transaction is the only writer.
 */
export async function lockRow<DB>(trx: Transaction<DB>, table: string, column: string, value: string): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`select 1 from ${sql.table(table)} where ${sql.ref(column)} = ${value} for no key update`.execute(trx);
}

/**
 * Runs `fn` (synchronous: it must not await) while holding a lock named `key` that every server
 * process on the database respects: PostgreSQL's transaction-scoped advisory lock, released with the
 * transaction, even when the process dies. SQLite: one process, and `fn` never yields, so nothing
 * else in the process can run in between; no lock needed.
 */
export async function withNamedLock<DB, T>(db: Kysely<DB>, key: string, fn: () => T): Promise<T> {
  if (!isPostgres(db)) return fn();
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
    return fn();
  });
}
