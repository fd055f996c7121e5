import { randomUUID } from 'node:crypto';
import type { SubmitRatingRequestSchema } from '../../schema/api/studies.ts';
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { ItemsAllHeld, lockFirstFreeItem, retriedAssignment } from '../db/slot-locks.ts';
import { reservationTransaction } from '../db/reservation-transaction.ts';
import { flushedTransaction } from '../db/flushed-transaction.ts';
import { retriedTransaction } from '../db/transactions.ts';
import { seesSameView, type RatedVersion } from './rated-version.ts';
import type { UserRow } from '../people/people.table.ts';
import { countLeaseInPool, setAsideInPool, studyPool, type PoolItem, type StudyPool } from './study-pool.ts';
import { skipsBy, type StudyRow } from './study.repository.ts';
import type { LeaseTable } from './study.tables.ts';
import type { z } from 'zod';

// Who rates what next. A lease reserves a slot on one scenario version for one rater, so two
// raters cannot over-fill a scenario; a lease that runs out returns its slot to the pool (it is no
// longer counted, and is removed the next time its scenario is assigned).
//
// Isolation, per path (several server processes on one PostgreSQL database, READ COMMITTED):
// - nextAssignment orders the candidates by the study's pool (its scenarios and their ratings and
//   live leases, read without a lock and kept up to a second, study-pool.ts), then locks the study_item row of the
//   scenario it wants (FOR NO KEY UPDATE SKIP LOCKED: a scenario another assignment holds is passed
//   over for the next best), and under the lock inserts the lease only if that scenario's ratings
//   and live leases, counted in the same statement, leave room and the version it leases is still
//   the scenario's current one (the pool may lag). Assignments of one scenario take turns;
//   assignments of different scenarios run side by side across processes. If the scenario is full
//   or changed after all, it tries the next without waiting (and reads the pool afresh before it
//   says there is nothing left); only an assignment holding no lock waits (when
//   every wanted scenario is held), so none waits for one that waits for it; one that holds a lock
//   and finds the rest held starts over. A rater's second concurrent call fails on the unique
//   (study, rater) lease index and is retried (retriedTransaction), finding the first call's lease.
// - submitRating locks only the lease row (FOR UPDATE): a lease turning into a rating leaves the
//   scenario's count unchanged, and the count above is one statement, which sees either the lease
//   or the rating, never neither or both. A second submit of the lease waits and finds it gone.
// - skipTask locks the lease row; giving a slot back cannot over-fill anything.
// SQLite: one writer runs one transaction at a time, so every path is serial there.

export const LEASE_MINUTES = 30;

/** How far down its list of wanted scenarios one assignment looks for one that is free. */
const CANDIDATES_TRIED = 64;

type LeaseRow = LeaseTable;

export type Assignment = (
  | {
      kind: 'task';
      leaseId: string;
      scenarioId: string;
      contentHash: string;
      raterViewHash: string | null;
      expiresAt: string;
    }
  | { kind: 'done'; reason: 'batch-complete' | 'no-more-tasks' | 'study-closed' }
) & {
  /** The rater's ratings in the study and the study's scenarios, read in the same transaction (absent for a closed study). */
  counts?: { rated: number; items: number };
};

/**
 * How many ratings make this rater's batch: a crowd participant's batch is the study's batch size
 * (or every scenario, when there are fewer); anyone else may rate every scenario of the study.
 */
export function batchTotal(study: Pick<StudyRow, 'batch_size'>, rater: Pick<UserRow, 'kind'>, items: number): number {
  return rater.kind === 'prolific' ? Math.min(study.batch_size, items) : items;
}

/** How many ratings this rater has given in the study (any scenario version). */
export async function ratingsDoneBy(db: Db, studyId: string, raterId: string): Promise<number> {
  const r = await db
    .selectFrom('realism_rating')
    .select(db.fn.countAll<number>().as('n'))
    .where('study_id', '=', studyId)
    .where('rater_id', '=', raterId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Inserts the lease if its scenario version is the scenario's current one, takes ratings, and still
 * has room: its ratings and live leases (of the view the lease is on, as seesSameView counts them)
 * fewer than `limit`. Checked and inserted in one statement, so one snapshot, taken after the caller
 * locked the scenario's row: a lease that becomes a rating meanwhile is counted once, never in
 * neither or in both. The version is checked here because the caller picked it from a pool kept up
 * to a second (study-pool.ts). Returns whether it inserted.
 */
async function insertLeaseIfRoom(trx: Transaction<Database>, lease: LeaseRow, limit: number): Promise<boolean> {
  const sameView = (table: 'r' | 'l') =>
    sql`(${sql.ref(`${table}.content_hash`)} = ${lease.content_hash} or (${sql.ref(`${table}.rater_view_hash`)} is not null and ${sql.ref(`${table}.rater_view_hash`)} = ${lease.rater_view_hash}))`;
  const { rows } = await sql<{ id: string }>`
    insert into lease (id, study_id, scenario_id, content_hash, rater_view_hash, rater_id, created_at, expires_at)
    select ${lease.id}, ${lease.study_id}, ${lease.scenario_id}, ${lease.content_hash}, ${lease.rater_view_hash},
      ${lease.rater_id}, ${lease.created_at}, ${lease.expires_at}
    where (select count(*) from realism_rating r
           where r.study_id = ${lease.study_id} and r.scenario_id = ${lease.scenario_id} and ${sameView('r')})
        + (select count(*) from lease l
           where l.study_id = ${lease.study_id} and l.scenario_id = ${lease.scenario_id}
             and l.expires_at > ${lease.created_at} and ${sameView('l')}) < ${limit}
      and exists (select 1 from scenario s
                  where s.id = ${lease.scenario_id} and s.content_hash = ${lease.content_hash}
                    and s.error_count = 0 and s.status <> 'retired')
    returning id`.execute(trx);
  return rows.length === 1;
}

/**
 * The rater's current task, or a new lease on the scenario that most needs them: one they have not
 * rated, skipped or edited, in the category they have rated least (to spread their ratings), then
 * the one with the fewest ratings so far. Concurrent calls cannot both take the last slot of a
 * scenario: see the isolation notes at the top of this file.
 */
export async function nextAssignment(
  db: Db,
  study: StudyRow,
  rater: UserRow,
  random: () => number = Math.random,
): Promise<Assignment> {
  if (study.status !== 'open') return { kind: 'done', reason: 'study-closed' };
  // Its writes are leases only: on SQLite they commit without an fsync (reservation-transaction.ts).
  return retriedAssignment(() =>
    reservationTransaction(db, (conn) =>
      retriedTransaction(conn, (trx) => assign(db, trx, study, rater, new Date(), random)),
    ),
  );
}

async function assign(
  db: Db,
  trx: Transaction<Database>,
  study: StudyRow,
  rater: UserRow,
  now: Date,
  random: () => number,
): Promise<Assignment> {
  const nowIso = now.toISOString();
  const { mineRows, own, excluded } = await raterReads(trx, study.id, rater.id);
  let { pool, fresh } = await studyPool(db, trx, study.id, nowIso);
  const counts = { rated: mineRows.length, items: pool.items.length };

  if (own) {
    const live = own.expires_at > nowIso;
    // A lease on a version newer than the kept pool's (an edit this second) is not to be dropped.
    if (live && !fresh && !seesSameView(pool.byId.get(own.scenario_id), own))
      ({ pool, fresh } = await studyPool(db, trx, study.id, nowIso, { fresh: true }));
    if (live && seesSameView(pool.byId.get(own.scenario_id), own)) return { ...taskOf(own), counts };
    await trx.deleteFrom('lease').where('id', '=', own.id).execute(); // ran out, or the scenario changed under it
  }
  if (rater.kind === 'prolific' && mineRows.length >= study.batch_size)
    return { kind: 'done', reason: 'batch-complete', counts };

  // Locks taken so far in this transaction: only one that holds none may wait for a lock.
  let held = 0;
  for (;;) {
    const wanted = wantedScenarios(pool, study, mineRows, excluded, random);
    const itemRows = { table: 'study_item', scope: { column: 'study_id', value: study.id }, idColumn: 'scenario_id' };
    for (; wanted.length > 0; held++) {
      const ids = wanted.map((c) => c.scenario_id);
      const lockedId = await lockFirstFreeItem(trx, itemRows, ids, held === 0);
      if (lockedId === null) break;
      if (lockedId === 'all-held') throw new ItemsAllHeld();
      const [pick] = wanted.splice(ids.indexOf(lockedId), 1);
      // Leases that ran out hold no slot; they go now, under the scenario's lock.
      if (pool.expiredLeases.has(pick!.scenario_id))
        await trx
          .deleteFrom('lease')
          .where('study_id', '=', study.id)
          .where('scenario_id', '=', pick!.scenario_id)
          .where('expires_at', '<=', nowIso)
          .execute();
      const lease = {
        id: randomUUID(),
        study_id: study.id,
        scenario_id: pick!.scenario_id,
        content_hash: pick!.content_hash,
        rater_view_hash: pick!.rater_view_hash,
        rater_id: rater.id,
        created_at: nowIso,
        expires_at: new Date(now.getTime() + LEASE_MINUTES * 60_000).toISOString(),
      };
      if (!(await insertLeaseIfRoom(trx, lease, study.raters_per_item))) {
        setAsideInPool(pool, pick!.scenario_id); // full (another process's leases or ratings), or edited
        continue;
      }
      countLeaseInPool(pool, pick!.scenario_id);
      return { ...taskOf(lease), counts };
    }
    // Nothing left by a kept pool may only be lag: only a fresh read may say there is nothing to rate.
    if (fresh) return { kind: 'done', reason: 'no-more-tasks', counts };
    ({ pool, fresh } = await studyPool(db, trx, study.id, nowIso, { fresh: true }));
  }
}

/**
 * The scenarios this rater may be given, most wanted first: one that takes ratings, has room by the
 * pool's counts, and that they have not rated (this view), skipped or edited; in the category they
 * have rated least (to spread their ratings), then the fewest ratings, then at random. At most
 * CANDIDATES_TRIED of them.
 */
function wantedScenarios(
  pool: StudyPool,
  study: StudyRow,
  mineRows: ({ scenario_id: string; category: string } & RatedVersion)[],
  excluded: Set<string>,
  random: () => number,
): PoolItem[] {
  const { byId, filled } = pool;
  const mine = new Set(mineRows.filter((r) => seesSameView(byId.get(r.scenario_id), r)).map((r) => r.scenario_id));
  const mineByCategory = new Map<string, number>();
  for (const r of mineRows) mineByCategory.set(r.category, (mineByCategory.get(r.category) ?? 0) + 1);
  return pool.items
    .filter(
      (i) =>
        i.error_count === 0 &&
        i.status !== 'retired' &&
        (filled.get(i.scenario_id) ?? 0) < study.raters_per_item &&
        !mine.has(i.scenario_id) &&
        !excluded.has(i.scenario_id),
    )
    .map((c) => ({ c, key: [mineByCategory.get(c.category) ?? 0, filled.get(c.scenario_id) ?? 0, random()] }))
    .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!)
    .slice(0, CANDIDATES_TRIED)
    .map(({ c }) => c);
}

/** One row of raterReads' statement: which of its reads it comes from, and that read's columns. */
interface RaterReadRow {
  kind: 'rated' | 'own-lease' | 'excluded';
  scenario_id: string;
  content_hash: string | null;
  rater_view_hash: string | null;
  category: string | null;
  lease_id: string | null;
  created_at: string | null;
  expires_at: string | null;
}

/**
 * What an assignment reads of the rater, in one statement (one round trip, one snapshot): their
 * ratings in the study, their lease, and the scenarios they skipped or edited. Three reads as a
 * UNION ALL, each row tagged with the read it belongs to (unused columns are typed NULLs, which
 * PostgreSQL needs to unify the arms). The study's side (its scenarios, how full each is) is the
 * pool's (study-pool.ts).
 */
async function raterReads(trx: Transaction<Database>, studyId: string, raterId: string) {
  const noText = sql`cast(null as text)`;
  const { rows } = await sql<RaterReadRow>`
    select 'rated' as kind, scenario_id, content_hash, rater_view_hash, category, ${noText} as lease_id,
      ${noText} as created_at, ${noText} as expires_at
    from realism_rating where study_id = ${studyId} and rater_id = ${raterId}
    union all
    select 'own-lease', scenario_id, content_hash, rater_view_hash, ${noText}, id, created_at, expires_at
    from lease where study_id = ${studyId} and rater_id = ${raterId}
    union all
    select 'excluded', scenario_id, ${noText}, ${noText}, ${noText}, ${noText}, ${noText}, ${noText}
    from rating_skip where study_id = ${studyId} and rater_id = ${raterId}
    union all
    select 'excluded', scenario_id, ${noText}, ${noText}, ${noText}, ${noText}, ${noText}, ${noText}
    from scenario_editor where user_id = ${raterId}`.execute(trx);
  const mineRows: ({ scenario_id: string; category: string } & RatedVersion)[] = [];
  const excluded = new Set<string>();
  let own: LeaseRow | undefined;
  for (const r of rows) {
    const version = { scenario_id: r.scenario_id, content_hash: r.content_hash!, rater_view_hash: r.rater_view_hash };
    if (r.kind === 'rated') mineRows.push({ ...version, category: r.category! });
    else if (r.kind === 'excluded') excluded.add(r.scenario_id);
    else
      own = {
        ...version,
        id: r.lease_id!,
        study_id: studyId,
        rater_id: raterId,
        created_at: r.created_at!,
        expires_at: r.expires_at!,
      };
  }
  return { mineRows, own, excluded };
}

function taskOf(lease: Omit<LeaseRow, 'created_at' | 'rater_id' | 'study_id'>): Assignment & { kind: 'task' } {
  return {
    kind: 'task',
    leaseId: lease.id,
    scenarioId: lease.scenario_id,
    contentHash: lease.content_hash,
    raterViewHash: lease.rater_view_hash,
    expiresAt: lease.expires_at,
  };
}

type Submit = z.output<typeof SubmitRatingRequestSchema>;
export type SubmitResult =
  | {
      ok: true;
      ratingId: string;
      scenarioId: string;
      /** The rated version of the scenario (null on a duplicate: nothing was stored). */
      contentHash: string | null;
      duplicate: boolean;
    }
  | { ok: false; status: 404 | 409; code: 'not_found' | 'conflict'; message: string };

/** A submit that stored its rating (the rating's id is its lease's). */
const storedRating = (r: { id: string; scenario_id: string; content_hash: string }): SubmitResult => ({
  ok: true,
  ratingId: r.id,
  scenarioId: r.scenario_id,
  contentHash: r.content_hash,
  duplicate: false,
});

/**
 * Stores a rating against the rater's lease: the lease must be theirs, alive, and on the version
 * of the scenario that is current now. The rating and the lease's release commit together. A
 * second submit of the same lease (a double click, a retried request) answers with the first
 * rating and stores nothing more. Isolation: the lease row only (FOR UPDATE on PostgreSQL), so a
 * second submit of it waits for the first and then finds it gone (and the rating made); the study
 * is not locked, as the lease becoming a rating leaves its scenario's count unchanged (see the top
 * of this file). SQLite runs one transaction at a time.
 */
export async function submitRating(db: Db, study: StudyRow, rater: UserRow, req: Submit): Promise<SubmitResult> {
  const nowIso = new Date().toISOString();
  if (isPostgres(db)) {
    const stored = await storeRatingFromLiveLease(db, { studyId: study.id, raterId: rater.id }, req, nowIso);
    if (stored) return storedRating(stored);
    // Nothing changed: the transaction below finds out why.
  }
  // Answered only once the rating would survive a power loss; on SQLite the log's flush is shared
  // with the ratings committed meanwhile and keeps the server's thread free (flushed-transaction.ts).
  return flushedTransaction(db, async (trx) => {
    if (!isPostgres(trx)) {
      const stored = await storeRatingThenTakeLease(trx, { studyId: study.id, raterId: rater.id }, req, nowIso);
      if (stored) return storedRating(stored);
    }
    // Otherwise say why (each case below): the lease is read, and locked on PostgreSQL, again.
    const lease = await trx
      .selectFrom('lease')
      .selectAll()
      .where('id', '=', req.leaseId)
      .$if(isPostgres(trx), (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!lease) {
      const earlier = await trx
        .selectFrom('realism_rating')
        .select(['id', 'scenario_id'])
        .where('study_id', '=', study.id)
        .where('rater_id', '=', rater.id)
        .where('id', '=', req.leaseId)
        .executeTakeFirst();
      if (earlier)
        return {
          ok: true,
          ratingId: earlier.id,
          scenarioId: earlier.scenario_id,
          contentHash: null,
          duplicate: true,
        } as const;
      return {
        ok: false,
        status: 404,
        code: 'not_found',
        message: 'no such task: it was submitted, skipped or has expired; ask for the next task',
      } as const;
    }
    // A lease of someone else is answered like a missing one: nothing about it is revealed.
    if (lease.rater_id !== rater.id || lease.study_id !== study.id)
      return { ok: false, status: 404, code: 'not_found', message: 'no such task for you in this study' } as const;
    if (lease.expires_at <= nowIso) {
      await trx.deleteFrom('lease').where('id', '=', lease.id).execute();
      return { ok: false, status: 409, code: 'conflict', message: 'this task expired; ask for the next task' } as const;
    }
    const scenario = await trx
      .selectFrom('scenario')
      .select(['content_hash', 'rater_view_hash', 'category', 'behavior'])
      .where('id', '=', lease.scenario_id)
      .executeTakeFirst();
    // Only an edit the rater would see voids the task; a comment or summary edit does not.
    if (!scenario || !seesSameView(scenario, lease)) {
      await trx.deleteFrom('lease').where('id', '=', lease.id).execute();
      return {
        ok: false,
        status: 409,
        code: 'conflict',
        message: 'this scenario was edited while you were rating it; your rating of the old version was not stored',
      } as const;
    }
    // The lease id doubles as the rating id, which is what makes a repeated submit idempotent.
    await trx
      .insertInto('realism_rating')
      .values({
        id: lease.id,
        study_id: study.id,
        scenario_id: lease.scenario_id,
        content_hash: lease.content_hash,
        rater_view_hash: scenario.rater_view_hash,
        category: scenario.category,
        behavior: scenario.behavior,
        rater_id: rater.id,
        realism: req.realism,
        scale: 'realism-1-5-higher-more-realistic',
        flags: JSON.stringify(req.flags),
        comment: req.comment,
        leased_at: lease.created_at,
        created_at: nowIso,
      })
      .execute();
    await trx.deleteFrom('lease').where('id', '=', lease.id).execute();
    return storedRating(lease);
  });
}

/**
 * PostgreSQL: the usual submit as one statement, atomic by itself (one round trip instead of a
 * transaction's four): the lease is taken when it is this rater's, in this study, alive, and on the
 * view its scenario shows now (the checks storeRatingThenTakeLease makes on SQLite), and the rating
 * is stored from it and the scenario's row. The delete locks the lease row, so a second submit of it waits and then finds it
 * gone. Returns the rating, or undefined having changed nothing.
 */
async function storeRatingFromLiveLease(
  db: Db,
  ids: { studyId: string; raterId: string },
  req: Submit,
  nowIso: string,
): Promise<{ id: string; scenario_id: string; content_hash: string } | undefined> {
  const { rows } = await sql<{ id: string; scenario_id: string; content_hash: string }>`
    with taken as (
      delete from lease l
      where l.id = ${req.leaseId} and l.rater_id = ${ids.raterId} and l.study_id = ${ids.studyId}
        and l.expires_at > ${nowIso}
        and exists (select 1 from scenario s
                    where s.id = l.scenario_id
                      and (s.content_hash = l.content_hash
                           or (l.rater_view_hash is not null and s.rater_view_hash = l.rater_view_hash)))
      returning l.id, l.scenario_id, l.content_hash, l.created_at
    )
    insert into realism_rating (id, study_id, scenario_id, content_hash, rater_view_hash, category, behavior,
      rater_id, realism, scale, flags, comment, leased_at, created_at)
    select t.id, ${ids.studyId}, t.scenario_id, t.content_hash, s.rater_view_hash, s.category, s.behavior,
      ${ids.raterId}, cast(${req.realism} as integer), 'realism-1-5-higher-more-realistic', ${JSON.stringify(req.flags)},
      ${req.comment}, t.created_at, ${nowIso}
    from taken t inner join scenario s on s.id = t.scenario_id
    returning id, scenario_id, content_hash`.execute(db);
  return rows[0];
}

/**
 * SQLite: the usual submit in two statements: the rating is stored from the lease when the lease is
 * this rater's, in this study, alive, and on the view its scenario shows now (with the scenario's
 * view, category and behaviour from its row), and the lease is then deleted. Its one writer runs
 * one transaction at a time, so nothing comes between them. Returns the rating, or undefined having
 * changed nothing. The lease id doubles as the rating id, which is what makes a repeated submit
 * idempotent.
 */
async function storeRatingThenTakeLease(
  trx: Transaction<Database>,
  ids: { studyId: string; raterId: string },
  req: Submit,
  nowIso: string,
): Promise<{ id: string; scenario_id: string; content_hash: string } | undefined> {
  const { rows } = await sql<{ id: string; scenario_id: string; content_hash: string }>`
    insert into realism_rating (id, study_id, scenario_id, content_hash, rater_view_hash, category, behavior,
      rater_id, realism, scale, flags, comment, leased_at, created_at)
    select l.id, l.study_id, l.scenario_id, l.content_hash, s.rater_view_hash, s.category, s.behavior,
      l.rater_id, ${req.realism}, 'realism-1-5-higher-more-realistic', ${JSON.stringify(req.flags)}, ${req.comment},
      l.created_at, ${nowIso}
    from lease l inner join scenario s on s.id = l.scenario_id
    where l.id = ${req.leaseId} and l.rater_id = ${ids.raterId} and l.study_id = ${ids.studyId}
      and l.expires_at > ${nowIso}
      and (s.content_hash = l.content_hash or (l.rater_view_hash is not null and s.rater_view_hash = l.rater_view_hash))
    returning id, scenario_id, content_hash`.execute(trx);
  const stored = rows[0];
  if (stored) await sql`delete from lease where id = ${stored.id}`.execute(trx);
  return stored;
}

export type SkipResult = 'skipped' | 'no-such-task' | 'no-skips-left';

/**
 * Gives a task back and never offers that scenario to this rater again in this study. `maxSkips`
 * (crowd participants) bounds the skips; counted inside the transaction, so parallel skips cannot
 * pass it together (a rater holds one lease at a time: on PostgreSQL its row lock makes parallel
 * skips take turns, and the second finds the lease gone; SQLite runs one transaction at a time).
 */
export async function skipTask(
  db: Db,
  study: StudyRow,
  rater: UserRow,
  leaseId: string,
  maxSkips: number | null,
): Promise<SkipResult> {
  return db.transaction().execute(async (trx) => {
    const lease = await trx
      .selectFrom('lease')
      .selectAll()
      .where('id', '=', leaseId)
      .where('rater_id', '=', rater.id)
      .where('study_id', '=', study.id)
      .$if(isPostgres(trx), (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!lease) return 'no-such-task';
    if (maxSkips !== null && (await skipsBy(trx, study.id, rater.id)) >= maxSkips) return 'no-skips-left';
    await trx.deleteFrom('lease').where('id', '=', lease.id).execute();
    await trx
      .insertInto('rating_skip')
      .values({
        study_id: study.id,
        scenario_id: lease.scenario_id,
        rater_id: rater.id,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['study_id', 'scenario_id', 'rater_id']).doNothing())
      .execute();
    return 'skipped';
  });
}
