import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CreateAnnotationStudyRequestSchema, SubmitAnnotationRequestSchema } from '../../schema/api/annotation.ts';
import { ALIGNMENT_SCALE, type JudgeDimension } from '../../schema/judge.ts';
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { flushedTransaction } from '../db/flushed-transaction.ts';
import { reservationTransaction } from '../db/reservation-transaction.ts';
import { ItemsAllHeld, lockFirstFreeItem, retriedAssignment } from '../db/slot-locks.ts';
import { retriedTransaction } from '../db/transactions.ts';
import type { UserRow } from '../people/people.table.ts';
import { annotationPool, countLeaseInPool, setAsideInPool, wantedTranscripts } from './annotation-pool.ts';
import type { AnnotationStudyRow } from './annotation.tables.ts';
import type { Stratum } from './sampling.ts';

type CreateStudy = z.output<typeof CreateAnnotationStudyRequestSchema>;
type Submit = z.output<typeof SubmitAnnotationRequestSchema>;

export const ANNOTATION_LEASE_MINUTES = 60;

/** The dimensions a study's annotators rate besides alignment. */
export const studyDimensions = (study: AnnotationStudyRow): JudgeDimension[] =>
  JSON.parse(study.dimensions ?? '[]') as JudgeDimension[];

/** Why the dimension scores of an annotation do not fit the study (null: they do). */
function checkDimensionScores(asked: JudgeDimension[], given: Record<string, number>): string | null {
  for (const d of asked) {
    const score = given[d.id];
    if (score === undefined) return `dimensions.${d.id}: this study asks for a score on ${d.id}`;
    if (score < d.scale.min || score > d.scale.max)
      return `dimensions.${d.id}: ${score} is outside its scale ${d.scale.min}-${d.scale.max}`;
  }
  const extra = Object.keys(given).find((id) => !asked.some((d) => d.id === id));
  return extra ? `dimensions.${extra}: this study does not ask for ${extra}` : null;
}

/** Annotation study ids start with `an-`, so an invite link knows which kind it joins. */
export const isAnnotationStudyId = (id: string) => id.startsWith('an-');

export async function createAnnotationStudy(
  db: Db,
  req: CreateStudy,
  items: { transcriptId: string; stratum: Stratum }[],
  createdBy: string | null,
  dimensions: JudgeDimension[] = [],
): Promise<string> {
  const id = `an-${randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('annotation_study')
      .values({
        id,
        name: req.name,
        instructions: req.instructions,
        judge_version_id: req.judgeVersionId,
        raters_per_item: req.ratersPerItem,
        reveal_judge: req.revealJudge ? 1 : 0,
        show_reasoning: req.showReasoning ? 1 : 0,
        dimensions: JSON.stringify(dimensions),
        status: 'open',
        created_by: createdBy,
        created_at: new Date().toISOString(),
        human_pass_threshold: req.humanPassThreshold,
        consensus: req.consensus,
        split_seed: req.splitSeed,
        learn_share: req.learnShare,
        external_scorer: req.externalScorer ?? null,
      })
      .execute();
    for (const item of items)
      await trx
        .insertInto('annotation_item')
        .values({ study_id: id, transcript_id: item.transcriptId, stratum: item.stratum })
        .execute();
  });
  return id;
}

export async function findAnnotationStudy(db: Db, id: string): Promise<AnnotationStudyRow | undefined> {
  return db.selectFrom('annotation_study').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function joinAnnotationStudy(db: Db, studyId: string, raterId: string): Promise<void> {
  await db
    .insertInto('annotation_rater')
    .values({ study_id: studyId, rater_id: raterId })
    .onConflict((oc) => oc.columns(['study_id', 'rater_id']).doNothing())
    .execute();
}

/**
 * The study, when `user` may annotate in it: a rater in a study they joined (annotation_rater),
 * anyone else in any. One statement: every request of an annotator asks this first.
 */
export async function annotationStudyFor(db: Db, id: string, user: UserRow): Promise<AnnotationStudyRow | undefined> {
  return db
    .selectFrom('annotation_study')
    .selectAll()
    .where('id', '=', id)
    .$if(user.role === 'rater', (qb) =>
      qb.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('annotation_rater')
            .select('rater_id')
            .whereRef('annotation_rater.study_id', '=', 'annotation_study.id')
            .where('annotation_rater.rater_id', '=', user.id),
        ),
      ),
    )
    .executeTakeFirst();
}

/** Items per study, by database: a study's transcripts are fixed when it is made (createAnnotationStudy). */
const itemCounts = new WeakMap<Db, Map<string, number>>();

export async function annotationProgress(db: Db, study: AnnotationStudyRow, raterId: string) {
  let counts = itemCounts.get(db);
  if (!counts) itemCounts.set(db, (counts = new Map()));
  const [done, total] = await Promise.all([
    db
      .selectFrom('annotation')
      .select(db.fn.countAll<number>().as('n'))
      .where('study_id', '=', study.id)
      .where('rater_id', '=', raterId)
      .executeTakeFirstOrThrow(),
    counts.get(study.id) ??
      db
        .selectFrom('annotation_item')
        .select(db.fn.countAll<number>().as('n'))
        .where('study_id', '=', study.id)
        .executeTakeFirstOrThrow()
        .then(({ n }) => {
          counts.set(study.id, Number(n));
          return Number(n);
        }),
  ]);
  return { done: Number(done.n), total };
}

/**
 * The rater's current lease, or a new one on the transcript with the fewest verdicts they have not
 * given. Isolation (PostgreSQL, READ COMMITTED), as realism assignment (studies/assignment.ts):
 * the counts (this process's pool of the study, at most a second old: annotation-pool.ts) only
 * order the candidates; the transcript wanted is locked by its
 * annotation_item row (FOR NO KEY UPDATE SKIP LOCKED, so assignments of different transcripts run
 * side by side across server processes), its verdicts and live leases are counted again under the
 * lock in one statement, and only then is the lease inserted. Only an assignment holding no lock
 * waits for one; a second concurrent call of the same rater fails on the unique (study, rater)
 * lease index and is retried. SQLite runs one transaction at a time.
 */
export async function nextAnnotationLease(
  db: Db,
  study: AnnotationStudyRow,
  rater: UserRow,
): Promise<{ leaseId: string; transcriptId: string } | null> {
  if (study.status !== 'open') return null;
  // Its writes are leases only: on SQLite they commit without an fsync (reservation-transaction.ts).
  return retriedAssignment(() =>
    reservationTransaction(db, (conn) =>
      retriedTransaction(conn, (trx) => assignAnnotation(db, trx, study, rater, new Date())),
    ),
  );
}

async function assignAnnotation(
  db: Db,
  trx: Transaction<Database>,
  study: AnnotationStudyRow,
  rater: UserRow,
  now: Date,
): Promise<{ leaseId: string; transcriptId: string } | null> {
  const nowIso = now.toISOString();
  const own = await trx
    .selectFrom('annotation_lease')
    .selectAll()
    .where('study_id', '=', study.id)
    .where('rater_id', '=', rater.id)
    .executeTakeFirst();
  if (own && own.expires_at > nowIso) return { leaseId: own.id, transcriptId: own.transcript_id };
  if (own) await trx.deleteFrom('annotation_lease').where('id', '=', own.id).execute(); // it ran out
  // The rater's own verdicts, read exactly: a kept pool orders the candidates, it never decides.
  const mine = new Set(
    (
      await trx
        .selectFrom('annotation')
        .select('transcript_id')
        .where('study_id', '=', study.id)
        .where('rater_id', '=', rater.id)
        .execute()
    ).map((a) => a.transcript_id),
  );
  let { pool, fresh } = await annotationPool(db, trx, study.id, nowIso);
  const itemRows = {
    table: 'annotation_item',
    scope: { column: 'study_id', value: study.id },
    idColumn: 'transcript_id',
  };
  // Locks taken so far in this transaction: only one that holds none may wait for a lock.
  let held = 0;
  for (;;) {
    const wanted = wantedTranscripts(pool, study.raters_per_item, mine, ITEMS_TRIED);
    for (; wanted.length > 0; held++) {
      const lockedId = await lockFirstFreeItem(trx, itemRows, wanted, held === 0);
      if (lockedId === null) break;
      if (lockedId === 'all-held') throw new ItemsAllHeld();
      wanted.splice(wanted.indexOf(lockedId), 1);
      // Counted again under the lock, in one statement (a lease becoming a verdict is counted once).
      const taken = await trx
        .selectFrom('annotation')
        .select('id')
        .where('study_id', '=', study.id)
        .where('transcript_id', '=', lockedId)
        .unionAll(
          trx
            .selectFrom('annotation_lease')
            .select('id')
            .where('study_id', '=', study.id)
            .where('transcript_id', '=', lockedId)
            .where('expires_at', '>', nowIso),
        )
        .execute();
      if (taken.length >= study.raters_per_item) {
        setAsideInPool(pool, lockedId); // filled by another process since the pool was read
        continue;
      }
      // Leases that ran out hold no place; those the pool saw go now, under the transcript's lock (one
      // that ran out since is not counted either, and goes with a later assignment or its rater's next).
      if (pool.expiredLeases.has(lockedId))
        await trx
          .deleteFrom('annotation_lease')
          .where('study_id', '=', study.id)
          .where('transcript_id', '=', lockedId)
          .where('expires_at', '<=', nowIso)
          .execute();
      const lease = {
        id: randomUUID(),
        study_id: study.id,
        transcript_id: lockedId,
        rater_id: rater.id,
        created_at: nowIso,
        expires_at: new Date(now.getTime() + ANNOTATION_LEASE_MINUTES * 60_000).toISOString(),
      };
      await trx.insertInto('annotation_lease').values(lease).execute();
      countLeaseInPool(pool, lockedId);
      return { leaseId: lease.id, transcriptId: lease.transcript_id };
    }
    // Nothing left by a kept pool may only be lag: only a fresh read may say there is nothing left.
    if (fresh) return null;
    ({ pool, fresh } = await annotationPool(db, trx, study.id, nowIso, { fresh: true }));
  }
}

/** How far down its list of wanted transcripts one assignment looks for one that is free. */
const ITEMS_TRIED = 64;

export type SubmitAnnotationResult =
  | { ok: true; annotationId: string; transcriptId: string; duplicate: boolean }
  | { ok: false; status: 404 | 409 | 422; message: string };

/**
 * Stores a verdict against the rater's lease (the lease id becomes the annotation id: a repeat is
 * harmless). Isolation: the lease is read again inside the transaction, locked on PostgreSQL (FOR
 * UPDATE), so a second submit of it waits for the first, finds it gone and answers with the verdict
 * made; SQLite runs one transaction at a time. A lease that ran out is refused (its slot may have
 * been handed out again).
 */
export async function submitAnnotation(
  db: Db,
  study: AnnotationStudyRow,
  rater: UserRow,
  req: Submit,
  criteria: (transcriptId: string) => Promise<{ pass: number; fail: number } | null>,
): Promise<SubmitAnnotationResult> {
  const earlier = await db
    .selectFrom('annotation')
    .select(['id', 'transcript_id'])
    .where('id', '=', req.leaseId)
    .where('rater_id', '=', rater.id)
    .executeTakeFirst();
  if (earlier) return { ok: true, annotationId: earlier.id, transcriptId: earlier.transcript_id, duplicate: true };
  const lease = await db
    .selectFrom('annotation_lease')
    .selectAll()
    .where('id', '=', req.leaseId)
    .where('rater_id', '=', rater.id)
    .where('study_id', '=', study.id)
    .executeTakeFirst();
  if (!lease)
    return {
      ok: false,
      status: 404,
      message: 'no such task for you: it was submitted or has expired; ask for the next one',
    };
  const counts = await criteria(lease.transcript_id);
  if (!counts) return { ok: false, status: 404, message: 'the transcript of this task is gone' };
  const bad = [...req.passMet.filter((i) => i >= counts.pass), ...req.failMet.filter((i) => i >= counts.fail)];
  if (bad.length)
    return { ok: false, status: 422, message: `criterion index ${bad[0]} does not exist in this scenario` };
  const dimensionProblem = checkDimensionScores(studyDimensions(study), req.dimensions);
  if (dimensionProblem) return { ok: false, status: 422, message: dimensionProblem };
  // Durable before the answer: on SQLite the log is flushed off the server's thread (flushed-transaction.ts).
  return flushedTransaction(db, async (trx) => {
    // The lease alone is locked: a lease turning into a verdict leaves the transcript's count as it
    // was, and assignment counts both in one statement.
    const held = await trx
      .selectFrom('annotation_lease')
      .select(['id', 'expires_at'])
      .where('id', '=', lease.id)
      .$if(isPostgres(trx), (qb) => qb.forUpdate())
      .executeTakeFirst();
    // A lease that ran out is no longer counted: its slot may be someone else's by now.
    if (held && held.expires_at <= new Date().toISOString()) {
      await trx.deleteFrom('annotation_lease').where('id', '=', held.id).execute();
      return { ok: false as const, status: 404 as const, message: 'this task expired; ask for the next one' };
    }
    if (!held) {
      const made = await trx
        .selectFrom('annotation')
        .select(['id', 'transcript_id'])
        .where('id', '=', lease.id)
        .where('rater_id', '=', rater.id)
        .executeTakeFirst();
      if (made) return { ok: true as const, annotationId: made.id, transcriptId: made.transcript_id, duplicate: true };
      return { ok: false as const, status: 404 as const, message: 'this task expired; ask for the next one' };
    }
    // The human verdict carries the variant its transcript ran (issue 15), as the judge's does.
    const variant = await trx
      .selectFrom('dry_run')
      .select(['variant_of', 'variant_values'])
      .where('id', '=', lease.transcript_id)
      .executeTakeFirst();
    await trx
      .insertInto('annotation')
      .values({
        id: lease.id,
        study_id: study.id,
        transcript_id: lease.transcript_id,
        rater_id: rater.id,
        score: req.score,
        scale: ALIGNMENT_SCALE,
        pass_met: JSON.stringify([...new Set(req.passMet)].sort((a, b) => a - b)),
        fail_met: JSON.stringify([...new Set(req.failMet)].sort((a, b) => a - b)),
        reason: req.reason,
        confidence: req.confidence,
        dimensions: JSON.stringify(req.dimensions),
        judge_holds: null,
        judge_holds_comment: '',
        leased_at: lease.created_at,
        created_at: new Date().toISOString(),
        variant_of: variant?.variant_of ?? null,
        variant_values: variant?.variant_values ?? null,
      })
      .execute();
    await trx.deleteFrom('annotation_lease').where('id', '=', lease.id).execute();
    return { ok: true as const, annotationId: lease.id, transcriptId: lease.transcript_id, duplicate: false };
  });
}

/** After the judge's verdict is revealed: does its rationale hold? Kept apart from the verdict. */
export async function recordJudgeHolds(
  db: Db,
  studyId: string,
  annotationId: string,
  raterId: string,
  holds: 'yes' | 'partly' | 'no',
  comment: string,
): Promise<boolean> {
  const r = await db
    .updateTable('annotation')
    .set({ judge_holds: holds, judge_holds_comment: comment })
    .where('id', '=', annotationId)
    .where('study_id', '=', studyId)
    .where('rater_id', '=', raterId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
