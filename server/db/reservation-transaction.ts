import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

// A lease reserves a slot for a rater; it is not anyone's data. On SQLite every commit waits for an
// fsync of the write-ahead log (synchronous=FULL, database.ts), which a rater's next-task paid on
// top of their rating's own. Here a transaction that only writes reservations commits without it
// (synchronous=NORMAL for that transaction alone): a process crash keeps it (the write is in the OS
// already), a power loss may drop it (the rater's submit of it is then refused and they ask again),
// and it can never cost an acknowledged rating: the log is one file written in order, so the next
// FULL commit's fsync makes everything before it durable too. PostgreSQL: a plain transaction.

/**
 * Runs `fn` as `run` would (a transaction, perhaps retried), with SQLite committing it without an
 * fsync; the connection is back at synchronous=FULL before any other query can use it (Kysely's
 * SQLite driver has one connection, held here until then). `run`'s writes must be reservations
 * only (leases), never data a person was told is saved.
 */
export async function reservationTransaction<DB, T>(db: Kysely<DB>, run: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return run(db);
  return db.connection().execute(async (conn) => {
    // SQLite refuses to change it inside a transaction, hence around the whole of `run`.
    await sql`pragma synchronous = normal`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`pragma synchronous = full`.execute(conn);
    }
  });
}
