import type { Db } from '../db/database.ts';

// Assignment, of realism ratings (study-pool.ts) and of verdicts (annotation/annotation-pool.ts),
// orders its candidates by a read of the whole study: its items and how full each is. Each process
// keeps that read for at most POOL_MS, per database and study; the callers say what a kept pool may
// and may not decide.

/** How long a process keeps a study's pool. */
export const POOL_MS = 1000;

/** One kind of pool, kept per database and study. */
export class KeptPools<P extends { readAt: number }> {
  private readonly byDb = new WeakMap<Db, Map<string, P>>();

  /**
   * The study's pool read at most POOL_MS ago, or `read(readAt)` now (readAt: when the read began)
   * when that is older or `fresh` is asked for. `fresh` in the answer says which.
   */
  async get(
    db: Db,
    studyId: string,
    read: (readAt: number) => Promise<P>,
    fresh = false,
  ): Promise<{ pool: P; fresh: boolean }> {
    let pools = this.byDb.get(db);
    if (!pools) this.byDb.set(db, (pools = new Map()));
    const known = pools.get(studyId);
    if (!fresh && known && performance.now() - known.readAt < POOL_MS) return { pool: known, fresh: false };
    const pool = await read(performance.now());
    pools.set(studyId, pool);
    return { pool, fresh: true };
  }

  /** Drops the study's kept pool: the next assignment reads it afresh. */
  forget(db: Db, studyId: string): void {
    this.byDb.get(db)?.delete(studyId);
  }
}
