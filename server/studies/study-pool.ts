import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { KeptPools } from './kept-pools.ts';
import { seesSameView, type RatedVersion } from './rated-version.ts';

// Assignment orders a study's scenarios by how full they are. Reading that on every next-task (the
// study's scenarios with their current versions, its live leases and its ratings per version: a few
// hundred rows, thousands of values) was the largest part of a rater request's CPU. The order is a
// preference only: assignment checks the scenario it picks again, exactly, under that scenario's
// lock (its version is still the current one, it takes ratings, and its ratings and live leases
// leave room: assignment.ts). So each process keeps what it read of a study for at most POOL_MS
// (kept-pools.ts) and counts the leases it grants as it grants them; a scenario it then finds full
// or changed (another process filled it, an edit) is set aside until the next read. Nothing is decided from a kept pool
// alone: a rater is told there is nothing left to rate only after a fresh read.

/** One of the study's scenarios, as the index has it. */
export interface PoolItem extends RatedVersion {
  scenario_id: string;
  category: string;
  error_count: number;
  status: string;
}

/** What a process knows of a study's scenarios and how full each is. */
export interface StudyPool {
  readAt: number;
  items: PoolItem[];
  byId: Map<string, PoolItem>;
  /** Ratings and live leases on each scenario's current view (seesSameView). */
  filled: Map<string, number>;
  /** Scenarios with leases that ran out: assignment deletes those under the scenario's lock. */
  expiredLeases: Set<string>;
}

const pools = new KeptPools<StudyPool>();

/** One row of readPool's statement: which of its reads it comes from, and that read's columns. */
interface PoolRow {
  kind: 'item' | 'ratings' | 'live-leases' | 'expired-leases';
  scenario_id: string;
  content_hash: string | null;
  rater_view_hash: string | null;
  category: string | null;
  error_count: number | null;
  status: string | null;
  n: number | string | null;
}

/**
 * The study's pool: the one this process read at most POOL_MS ago, or read now through `trx` (one
 * statement, one snapshot) when that is older or `fresh` is asked for. `fresh` in the answer says
 * which.
 */
export function studyPool(
  db: Db,
  trx: Transaction<Database>,
  studyId: string,
  nowIso: string,
  opts: { fresh?: boolean } = {},
): Promise<{ pool: StudyPool; fresh: boolean }> {
  return pools.get(db, studyId, (readAt) => readPool(trx, studyId, nowIso, readAt), opts.fresh);
}

async function readPool(trx: Transaction<Database>, studyId: string, nowIso: string, readAt: number) {
  const noText = sql`cast(null as text)`;
  const noInt = sql`cast(null as integer)`;
  const { rows } = await sql<PoolRow>`
    select 'item' as kind, i.scenario_id, s.content_hash, s.rater_view_hash, s.category, s.error_count, s.status,
      ${noInt} as n
    from study_item i inner join scenario s on s.id = i.scenario_id
    where i.study_id = ${studyId}
    union all
    select 'ratings', scenario_id, content_hash, rater_view_hash, ${noText}, ${noInt}, ${noText}, count(*)
    from realism_rating where study_id = ${studyId}
    group by scenario_id, content_hash, rater_view_hash
    union all
    select 'live-leases', scenario_id, content_hash, rater_view_hash, ${noText}, ${noInt}, ${noText}, count(*)
    from lease where study_id = ${studyId} and expires_at > ${nowIso}
    group by scenario_id, content_hash, rater_view_hash
    union all
    select distinct 'expired-leases', scenario_id, ${noText}, ${noText}, ${noText}, ${noInt}, ${noText}, ${noInt}
    from lease where study_id = ${studyId} and expires_at <= ${nowIso}`.execute(trx);
  const items: PoolItem[] = [];
  const counted: PoolRow[] = [];
  const expiredLeases = new Set<string>();
  for (const r of rows) {
    if (r.kind === 'item')
      items.push({
        scenario_id: r.scenario_id,
        content_hash: r.content_hash!,
        rater_view_hash: r.rater_view_hash,
        category: r.category!,
        error_count: Number(r.error_count),
        status: r.status!,
      });
    else if (r.kind === 'expired-leases') expiredLeases.add(r.scenario_id);
    else counted.push(r);
  }
  const byId = new Map(items.map((i) => [i.scenario_id, i]));
  const filled = new Map<string, number>();
  for (const r of counted)
    if (seesSameView(byId.get(r.scenario_id), { content_hash: r.content_hash!, rater_view_hash: r.rater_view_hash }))
      filled.set(r.scenario_id, (filled.get(r.scenario_id) ?? 0) + Number(r.n));
  return { readAt, items, byId, filled, expiredLeases };
}

/** Counts a lease this process just granted (its transaction may still roll back: the count is a preference). */
export function countLeaseInPool(pool: StudyPool, scenarioId: string): void {
  pool.filled.set(scenarioId, (pool.filled.get(scenarioId) ?? 0) + 1);
}

/** Sets a scenario aside until the next read: assignment found it full, or no longer on the version kept. */
export function setAsideInPool(pool: StudyPool, scenarioId: string): void {
  pool.filled.set(scenarioId, Number.POSITIVE_INFINITY);
}

/** Drops the study's kept pool: a scenario file was found changed, so the next read must see its new version. */
export function forgetStudyPool(db: Db, studyId: string): void {
  pools.forget(db, studyId);
}
