import type { Db } from '../db/database.ts';

/** The benchmark releases this instance made or imported, newest first. */
export async function listReleases(db: Db) {
  return db
    .selectFrom('benchmark_release')
    .selectAll()
    .orderBy('version', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
}
