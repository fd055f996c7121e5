import type { Updateable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { RunItemRow, RunItemTable } from './run.tables.ts';

// Claims of run items, shared by every process that runs them (the server's executor and `crucible
// worker`): an item is taken by marking it running with the taker's id and a lease expiry, renewed
// while it is worked on. Every write of an item's outcome is guarded by the lease holder and the
// status, so an item whose lease ran out and was taken by another process cannot be written twice:
// the first holder's write changes no row, and its transaction is rolled back (LeaseLostError).
// Portable Kysely only (SQLite and PostgreSQL); PostgreSQL may add SKIP LOCKED to the claim.

// The lease columns join the run_item table's type here, beside their queries (migration
// 2026-11-30T0510-run-item-leases).
declare module './run.tables.ts' {
  interface RunItemTable {
    /** Who holds the item while it runs (a process's id); null when nobody does. */
    lease_owner: string | null;
    /**
     * Until when (ISO) the holder's claim lasts; on a pending item, the earliest time it may be
     * claimed (a transient fault's backoff). Null: at once.
     */
    lease_until: string | null;
  }
}

/**
 * The columns an item is run from, its scenario text included: a claimed item waits here a moment
 * at most (a claim takes the free slots and a quarter of the concurrency more), and reading the text
 * with the claim saves a query per item (issue 20: a small run's fixed costs).
 */
export const QUEUED_COLUMNS = [
  'id',
  'scenario_content',
  'run_id',
  'scenario_id',
  'content_hash',
  'category',
  'behavior',
  'model',
  'repeat',
  'status',
  'dry_run_id',
  'attempts',
  'cached',
  'error',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'finished_at',
  'variant_of',
  'variant_values',
] as const satisfies readonly (keyof RunItemTable)[];

export type QueuedItem = Pick<RunItemRow, (typeof QUEUED_COLUMNS)[number]>;

/** A claimed item's outcome could not be written: another process holds it now. */
export class LeaseLostError extends Error {
  constructor(itemId: string) {
    super(`run item ${itemId}: the lease was lost (another process took the item over); its result is not written`);
  }
}

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Claims up to `limit` items of a run for `owner`, for `leaseMs`. An item is claimable when it is
 * pending or running and its lease is absent or over (its holder died, or its backoff is done).
 * The UPDATE repeats that condition, so of two processes racing for an item only one changes its
 * row: SQLite has one writer at a time, and PostgreSQL re-checks the condition once it has the
 * row lock, under READ COMMITTED.
 */
export async function claimRunItems(
  db: Db,
  runId: string,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<QueuedItem[]> {
  if (limit <= 0) return [];
  const at = new Date().toISOString();
  const candidates = await db
    .selectFrom('run_item')
    .select('id')
    .where('run_id', '=', runId)
    .where('status', 'in', ['pending', 'running'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    // Never an item this process holds itself: a stall past its own lease must not run it twice here.
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '!=', owner)]))
    .limit(limit)
    .execute();
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  await db
    .updateTable('run_item')
    .set({ status: 'running', lease_owner: owner, lease_until: later(leaseMs) })
    .where('id', 'in', ids)
    .where('status', 'in', ['pending', 'running'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '!=', owner)]))
    .execute();
  return db
    .selectFrom('run_item')
    .select(QUEUED_COLUMNS)
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .execute();
}

/** Extends the leases `owner` holds on these items; answers the ids it still holds. */
export async function renewRunItemLeases(
  db: Db,
  owner: string,
  ids: readonly string[],
  leaseMs: number,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  await db
    .updateTable('run_item')
    .set({ lease_until: later(leaseMs) })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .execute();
  const held = await db
    .selectFrom('run_item')
    .select('id')
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .execute();
  return new Set(held.map((h) => h.id));
}

/**
 * Writes a claimed item's row (its outcome, or its return to the queue), only while `owner` still
 * holds it; throws LeaseLostError otherwise, which rolls back the transaction the write is in.
 */
export async function writeHeldItem(
  db: Db,
  itemId: string,
  owner: string,
  values: Updateable<RunItemTable>,
): Promise<void> {
  const r = await db
    .updateTable('run_item')
    .set(values)
    .where('id', '=', itemId)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new LeaseLostError(itemId);
}

/** The values that give an item back to the queue: pending, no holder, claimable from `notBefore` (null: at once). */
export const backInQueue = (notBefore: string | null = null) =>
  ({ status: 'pending', lease_owner: null, lease_until: notBefore }) as const;

/** The values that end an item's lease with its outcome. */
export const leaseEnded = { lease_owner: null, lease_until: null } as const;

/** How many of a run's items are not finished (pending or running), and when the earliest lease among them ends. */
export async function unfinishedItems(db: Db, runId: string): Promise<{ count: number; nextLeaseEnd: string | null }> {
  const row = await db
    .selectFrom('run_item')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('lease_until').as('next')])
    .where('run_id', '=', runId)
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), nextLeaseEnd: (row.next as string | null) ?? null };
}

/** Takes back a run's items that were left running (the command line's resume): their holders' writes are refused. */
export async function takeBackRunningItems(db: Db, runId: string): Promise<number> {
  const r = await db
    .updateTable('run_item')
    .set(backInQueue())
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The statuses of a run's items, counted: how a run that no process runs any more ended. */
export async function itemStatusCounts(db: Db, runId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('run_item')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** Counts one retry (a provider call or an item tried again) in the run's Retries. */
export async function addRunRetry(db: Db, runId: string): Promise<void> {
  await db
    .updateTable('run')
    .set((eb) => ({ retries: eb('retries', '+', 1) }))
    .where('id', '=', runId)
    .execute();
}
