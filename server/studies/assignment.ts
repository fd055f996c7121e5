import { randomUUID } from 'node:crypto';
import type { SubmitRatingRequestSchema } from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { lockRow } from '../db/transactions.ts';
import { seesSameView, type RatedVersion } from './rated-version.ts';
import type { UserRow } from '../people/people.table.ts';
import { skipsBy, type StudyRow } from './study.repository.ts';
import type { z } from 'zod';

// Who rates what next. A lease reserves a slot on one scenario version for one rater, so two
// raters cannot over-fill a scenario; a lease that runs out returns its slot to the pool.

export const LEASE_MINUTES = 30;

export type Assignment =
  | {
      kind: 'task';
      leaseId: string;
      scenarioId: string;
      contentHash: string;
      raterViewHash: string | null;
      expiresAt: string;
    }
  | { kind: 'done'; reason: 'batch-complete' | 'no-more-tasks' | 'study-closed' };

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
 * The rater's current task, or a new lease on the scenario that most needs them: one they have not
 * rated, skipped or edited, in the category they have rated least (to spread their ratings), then
 * the one with the fewest ratings so far. One transaction: concurrent calls cannot both take the
 * last slot. Isolation: SQLite runs one transaction at a time; on PostgreSQL the transaction first
 * locks the study's row, so assignments in one study take turns across every server process, and
 * each reads (READ COMMITTED, after the lock) every lease and rating the ones before it committed.
 */
export async function nextAssignment(
  db: Db,
  study: StudyRow,
  rater: UserRow,
  random: () => number = Math.random,
): Promise<Assignment> {
  if (study.status !== 'open') return { kind: 'done', reason: 'study-closed' };
  const now = new Date();
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    await lockRow(trx, 'study', 'id', study.id);
    await trx.deleteFrom('lease').where('study_id', '=', study.id).where('expires_at', '<', nowIso).execute();

    const items = await trx
      .selectFrom('study_item as i')
      .innerJoin('scenario as s', 's.id', 'i.scenario_id')
      .select(['i.scenario_id', 's.content_hash', 's.rater_view_hash', 's.category', 's.error_count', 's.status'])
      .where('i.study_id', '=', study.id)
      .execute();
    const current = new Map(items.map((i) => [i.scenario_id, i]));

    const own = await trx
      .selectFrom('lease')
      .selectAll()
      .where('study_id', '=', study.id)
      .where('rater_id', '=', rater.id)
      .executeTakeFirst();
    if (own) {
      if (seesSameView(current.get(own.scenario_id), own)) {
        return {
          kind: 'task',
          leaseId: own.id,
          scenarioId: own.scenario_id,
          contentHash: own.content_hash,
          raterViewHash: own.rater_view_hash,
          expiresAt: own.expires_at,
        } as const;
      }
      await trx.deleteFrom('lease').where('id', '=', own.id).execute(); // the scenario changed under it
    }

    // Aggregates, not rows: the cost of a call must not grow with the number of ratings.
    const mineRows = await trx
      .selectFrom('realism_rating')
      .select(['scenario_id', 'content_hash', 'rater_view_hash', 'category'])
      .where('study_id', '=', study.id)
      .where('rater_id', '=', rater.id)
      .execute();
    if (rater.kind === 'prolific' && mineRows.length >= study.batch_size)
      return { kind: 'done', reason: 'batch-complete' } as const;
    const ratingCounts = await trx
      .selectFrom('realism_rating')
      .select(['scenario_id', 'content_hash', 'rater_view_hash', trx.fn.countAll<number>().as('n')])
      .where('study_id', '=', study.id)
      .groupBy(['scenario_id', 'content_hash', 'rater_view_hash'])
      .execute();
    const leases = await trx
      .selectFrom('lease')
      .select(['scenario_id', 'content_hash', 'rater_view_hash'])
      .where('study_id', '=', study.id)
      .execute();
    const skipped = new Set(
      (
        await trx
          .selectFrom('rating_skip')
          .select('scenario_id')
          .where('study_id', '=', study.id)
          .where('rater_id', '=', rater.id)
          .execute()
      ).map((r) => r.scenario_id),
    );
    const edited = new Set(
      (await trx.selectFrom('scenario_editor').select('scenario_id').where('user_id', '=', rater.id).execute()).map(
        (r) => r.scenario_id,
      ),
    );

    const isCurrent = (r: { scenario_id: string } & RatedVersion) => seesSameView(current.get(r.scenario_id), r);
    const filled = new Map<string, number>();
    for (const r of ratingCounts)
      if (isCurrent(r)) filled.set(r.scenario_id, (filled.get(r.scenario_id) ?? 0) + Number(r.n));
    for (const l of leases) if (isCurrent(l)) filled.set(l.scenario_id, (filled.get(l.scenario_id) ?? 0) + 1);
    const mine = new Set(mineRows.filter(isCurrent).map((r) => r.scenario_id));
    const mineByCategory = new Map<string, number>();
    for (const r of mineRows) mineByCategory.set(r.category, (mineByCategory.get(r.category) ?? 0) + 1);

    const candidates = items.filter(
      (i) =>
        i.error_count === 0 &&
        i.status !== 'retired' &&
        (filled.get(i.scenario_id) ?? 0) < study.raters_per_item &&
        !mine.has(i.scenario_id) &&
        !skipped.has(i.scenario_id) &&
        !edited.has(i.scenario_id),
    );
    if (candidates.length === 0) return { kind: 'done', reason: 'no-more-tasks' } as const;

    const leastCategoryCount = Math.min(...candidates.map((c) => mineByCategory.get(c.category) ?? 0));
    const inCategory = candidates.filter((c) => (mineByCategory.get(c.category) ?? 0) === leastCategoryCount);
    const fewest = Math.min(...inCategory.map((c) => filled.get(c.scenario_id) ?? 0));
    const pool = inCategory.filter((c) => (filled.get(c.scenario_id) ?? 0) === fewest);
    const pick = pool[Math.floor(random() * pool.length)]!;

    const lease = {
      id: randomUUID(),
      study_id: study.id,
      scenario_id: pick.scenario_id,
      content_hash: pick.content_hash,
      rater_view_hash: pick.rater_view_hash,
      rater_id: rater.id,
      created_at: nowIso,
      expires_at: new Date(now.getTime() + LEASE_MINUTES * 60_000).toISOString(),
    };
    await trx.insertInto('lease').values(lease).execute();
    return {
      kind: 'task',
      leaseId: lease.id,
      scenarioId: lease.scenario_id,
      contentHash: lease.content_hash,
      raterViewHash: lease.rater_view_hash,
      expiresAt: lease.expires_at,
    } as const;
  });
}

type Submit = z.output<typeof SubmitRatingRequestSchema>;
export type SubmitResult =
  | { ok: true; ratingId: string; duplicate: boolean }
  | { ok: false; status: 404 | 409; code: 'not_found' | 'conflict'; message: string };

/**
 * Stores a rating against the rater's lease: the lease must be theirs, alive, and on the version
 * of the scenario that is current now. The rating and the lease's release commit together. A
 * second submit of the same lease (a double click, a retried request) answers with the first
 * rating and stores nothing more. Isolation: on PostgreSQL the study's row is locked as assignment
 * locks it (so no assignment counts between the lease's removal and the rating's insert), and the
 * lease row (FOR UPDATE), so
 * a second submit of it waits for the first and then finds it gone (and the rating made); SQLite
 * runs one transaction at a time.
 */
export async function submitRating(db: Db, study: StudyRow, rater: UserRow, req: Submit): Promise<SubmitResult> {
  const nowIso = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    // The study's lock too: an assignment reads ratings and leases in two statements (READ COMMITTED
    // gives each its own snapshot), and a lease turning into a rating between them would be counted
    // in neither, freeing its slot twice.
    await lockRow(trx, 'study', 'id', study.id);
    const lease = await trx
      .selectFrom('lease')
      .selectAll()
      .where('id', '=', req.leaseId)
      .$if(isPostgres(trx), (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!lease) {
      const earlier = await trx
        .selectFrom('realism_rating')
        .select('id')
        .where('study_id', '=', study.id)
        .where('rater_id', '=', rater.id)
        .where('id', '=', req.leaseId)
        .executeTakeFirst();
      if (earlier) return { ok: true, ratingId: earlier.id, duplicate: true } as const;
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
    if (lease.expires_at < nowIso) {
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
    return { ok: true, ratingId: lease.id, duplicate: false } as const;
  });
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
