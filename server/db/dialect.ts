import { PostgresAdapter, type Kysely } from 'kysely';

/** Which backend a Kysely instance talks to, for the few places whose SQL or locking differs. */
export function isPostgres<T>(db: Kysely<T>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
