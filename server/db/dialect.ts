import { PostgresAdapter, type Kysely } from 'kysely';

/** Which backend a Kysely instance (or transaction) talks to, for the few places whose SQL or locking differs. */
export function isPostgres(db: Pick<Kysely<never>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
