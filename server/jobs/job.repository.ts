import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Job, JobStatus } from '../../schema/api/jobs.ts';
import type { Db } from '../db/database.ts';
import type { JobTable } from './job.table.ts';

// The job table's queries. Every write by a runner is guarded by its lease (lease_owner = the runner
// and status running): a runner that lost its lease (it stalled past the expiry and another took
// the job over) changes nothing. Portable Kysely only (SQLite and PostgreSQL).

/** A job's row, with the name of the user who started it (null: the command line). */
export type JobRow = Selectable<JobTable> & { started_by_name: string | null };

const jobsWithStarter = (db: Db) =>
  db
    .selectFrom('job')
    .leftJoin('user as u', 'u.id', 'job.started_by')
    .selectAll('job')
    .select('u.name as started_by_name');

const now = () => new Date().toISOString();
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

export async function insertJob(db: Db, kind: string, params: unknown, startedBy: string | null): Promise<JobRow> {
  const at = now();
  const row = {
    id: randomUUID(),
    kind,
    params: JSON.stringify(params),
    status: 'queued' as const,
    progress_message: null,
    checkpoint: null,
    result: null,
    error: null,
    lease_owner: null,
    lease_until: null,
    started_by: startedBy,
    created_at: at,
    started_at: null,
    finished_at: null,
    updated_at: at,
  };
  await db.insertInto('job').values(row).execute();
  return (await findJob(db, row.id))!;
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  return jobsWithStarter(db).where('job.id', '=', id).executeTakeFirst();
}

/** The most recent jobs, newest first, optionally of some kinds or statuses. */
export async function listJobs(
  db: Db,
  filter: { kind?: string; status?: JobStatus; limit: number },
): Promise<JobRow[]> {
  let q = jobsWithStarter(db);
  if (filter.kind) q = q.where('job.kind', '=', filter.kind);
  if (filter.status) q = q.where('job.status', '=', filter.status);
  return q.orderBy('job.created_at', 'desc').orderBy('job.id').limit(filter.limit).execute();
}

/**
 * Takes one job this runner can run: queued, or running under a lease that has expired (its
 * holder died). The UPDATE is guarded by the same condition, so of two runners racing for a job
 * only one changes the row (PostgreSQL re-checks the WHERE after waiting on the row lock; SQLite
 * has one writer at a time).
 */
export async function claimJob(db: Db, owner: string, kinds: readonly string[], leaseMs: number) {
  if (kinds.length === 0) return null;
  const at = now();
  const candidates = await db
    .selectFrom('job')
    .select('id')
    .where('kind', 'in', kinds)
    .where((eb) =>
      eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', at)])]),
    )
    // Never one this runner holds itself: a stall past its own lease must not start it twice here.
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '!=', owner)]))
    .orderBy('created_at')
    .limit(5)
    .execute();
  for (const { id } of candidates) {
    if (await claimJobById(db, id, owner, leaseMs, at)) return (await findJob(db, id))!;
  }
  return null;
}

/** Takes this job if it is claimable (queued, or its lease expired); true when this runner got it. */
export async function claimJobById(db: Db, id: string, owner: string, leaseMs: number, at = now()): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set((eb) => ({
      status: 'running',
      lease_owner: owner,
      lease_until: later(leaseMs),
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(at)),
      updated_at: at,
    }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', at)])]),
    )
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '!=', owner)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Extends the lease of a job this runner holds. Answers whether it still holds it and whether
 * someone asked to cancel it.
 */
export async function renewJobLease(db: Db, id: string, owner: string, leaseMs: number) {
  const r = await db
    .updateTable('job')
    .set({ lease_until: later(leaseMs) })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return { held: false, cancelRequested: false };
  const row = await db.selectFrom('job').select('cancel_requested').where('id', '=', id).executeTakeFirst();
  return { held: true, cancelRequested: row?.cancel_requested === 1 };
}

/** Writes progress (and the checkpoint, when given) of a job this runner holds. */
export async function saveJobProgress(
  db: Db,
  id: string,
  owner: string,
  progress: { done: number; total: number; message: string | null },
  checkpoint?: unknown,
): Promise<void> {
  await db
    .updateTable('job')
    .set({
      progress_done: progress.done,
      progress_total: progress.total,
      progress_message: progress.message,
      ...(checkpoint === undefined ? {} : { checkpoint: JSON.stringify(checkpoint) }),
      updated_at: now(),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .execute();
}

/** Ends a job this runner holds: done with its result, failed with an error, or cancelled. */
export async function finishJob(
  db: Db,
  id: string,
  owner: string,
  end: { status: 'done'; result: unknown } | { status: 'failed'; error: string } | { status: 'cancelled' },
): Promise<boolean> {
  const at = now();
  const r = await db
    .updateTable('job')
    .set({
      status: end.status,
      result: end.status === 'done' ? JSON.stringify(end.result ?? null) : null,
      error: end.status === 'failed' ? end.error : null,
      lease_owner: null,
      lease_until: null,
      finished_at: at,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a job this runner holds back to the queue (a shutdown): the next runner resumes it at once. */
export async function releaseJob(db: Db, id: string, owner: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'queued', lease_owner: null, lease_until: null, updated_at: now() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Asks a job to stop: a queued one is cancelled at once; a running one is flagged, and its holder
 * stops it at its next lease renewal (at once when the holder is this process). Answers the job as
 * it is now, or undefined when there is none.
 */
export async function requestJobCancel(db: Db, id: string): Promise<JobRow | undefined> {
  const at = now();
  await db
    .updateTable('job')
    .set({ status: 'cancelled', finished_at: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
  await db
    .updateTable('job')
    .set({ cancel_requested: 1, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
  return findJob(db, id);
}

const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as unknown));

/** The wire shape of a job row. */
export function jobView(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    params: parse(row.params),
    status: row.status,
    progress: { done: row.progress_done, total: row.progress_total, message: row.progress_message },
    result: parse(row.result),
    error: row.error,
    cancelRequested: row.cancel_requested === 1,
    attempts: row.attempts,
    startedBy: row.started_by,
    startedByName: row.started_by_name,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}
