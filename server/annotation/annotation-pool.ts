import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { KeptPools } from '../studies/kept-pools.ts';

// Annotation assignment orders a study's transcripts by how many verdicts and live leases each
// has. Reading that on every next-transcript (every item of the study and every verdict given: at
// 3,000 transcripts with three verdicts each, 12,000 rows) made a next + submit cost 14 ms of the
// server's thread, which 200 annotators turned into a queue almost two seconds long
// (bench/annotation-load.bench.ts; 1.7 ms and a p99 of 12 ms with the pool). As for realism
// studies (studies/study-pool.ts), the order is a preference only: assignment counts the
// transcript it picks again, exactly, under that transcript's lock (annotation.store.ts). So each
// process keeps what it read of a study for at most POOL_MS (studies/kept-pools.ts) and counts the
// leases it grants as it grants them; a transcript it then finds full (another process filled it)
// is set aside until the next read. Nothing is decided from a kept pool alone: an annotator is told
// there is nothing left only after a fresh read.

/** What a process knows of an annotation study's transcripts and how full each is. */
export interface AnnotationPool {
  readAt: number;
  /** The study's transcripts. */
  items: string[];
  /** Each transcript's place in `items`. */
  indexOf: Map<string, number>;
  /** Verdicts and live leases on each of `items` (SET_ASIDE: not to be tried until the next read). */
  fill: Int32Array;
  /** Transcripts with leases that ran out: assignment deletes those under the transcript's lock. */
  expiredLeases: Set<string>;
}

/** The fill of a transcript found full: above any study's verdicts per transcript. */
const SET_ASIDE = 0x7fffffff;

/** A pool of `items`, with the verdicts and live leases `taken` counts on each. */
export function poolOf(
  items: string[],
  taken: ReadonlyMap<string, number>,
  readAt: number,
  expiredLeases = new Set<string>(),
): AnnotationPool {
  const fill = new Int32Array(items.length);
  const indexOf = new Map<string, number>();
  items.forEach((id, i) => {
    indexOf.set(id, i);
    fill[i] = Math.min(SET_ASIDE, taken.get(id) ?? 0);
  });
  return { readAt, items, indexOf, fill, expiredLeases };
}

const pools = new KeptPools<AnnotationPool>();

/**
 * The study's pool: the one this process read at most POOL_MS ago, or read now through `trx` (one
 * statement, one snapshot) when that is older or `fresh` is asked for. `fresh` in the answer says
 * which.
 */
export function annotationPool(
  db: Db,
  trx: Transaction<Database>,
  studyId: string,
  nowIso: string,
  opts: { fresh?: boolean } = {},
): Promise<{ pool: AnnotationPool; fresh: boolean }> {
  return pools.get(db, studyId, (readAt) => readPool(trx, studyId, nowIso, readAt), opts.fresh);
}

async function readPool(
  trx: Transaction<Database>,
  studyId: string,
  nowIso: string,
  readAt: number,
): Promise<AnnotationPool> {
  const { rows } = await sql<{ kind: 'item' | 'taken' | 'expired'; transcript_id: string; n: number | string | null }>`
    select 'item' as kind, transcript_id, cast(null as integer) as n
    from annotation_item where study_id = ${studyId}
    union all
    select 'taken', transcript_id, count(*) from annotation where study_id = ${studyId} group by transcript_id
    union all
    select 'taken', transcript_id, count(*) from annotation_lease
    where study_id = ${studyId} and expires_at > ${nowIso} group by transcript_id
    union all
    select distinct 'expired', transcript_id, cast(null as integer) from annotation_lease
    where study_id = ${studyId} and expires_at <= ${nowIso}`.execute(trx);
  const items: string[] = [];
  const taken = new Map<string, number>();
  const expired = new Set<string>();
  for (const r of rows) {
    if (r.kind === 'item') items.push(r.transcript_id);
    else if (r.kind === 'expired') expired.add(r.transcript_id);
    else taken.set(r.transcript_id, (taken.get(r.transcript_id) ?? 0) + Number(r.n));
  }
  return poolOf(items, taken, readAt, expired);
}

/**
 * Up to `limit` transcripts an annotator may be given, most wanted first: not judged by them, with
 * room by the pool's counts; the fewest verdicts and leases first, then at random. A pass over the
 * counts per fill level needed (one or two, as a rule), then a partial shuffle of that level: no
 * sort of the whole study per request.
 */
export function wantedTranscripts(
  pool: AnnotationPool,
  perItem: number,
  mine: ReadonlySet<string>,
  limit: number,
  random: () => number = Math.random,
): string[] {
  const { items, fill } = pool;
  const wanted: string[] = [];
  let level = SET_ASIDE;
  for (let i = 0; i < fill.length; i++) if (fill[i]! < level) level = fill[i]!;
  while (level < perItem && wanted.length < limit) {
    const at: number[] = [];
    let next = SET_ASIDE;
    for (let i = 0; i < fill.length; i++) {
      const f = fill[i]!;
      if (f === level) at.push(i);
      else if (f > level && f < next) next = f;
    }
    // Fisher-Yates, only as far as the places still wanted.
    for (let i = 0; i < at.length && wanted.length < limit; i++) {
      const j = i + Math.floor(random() * (at.length - i));
      const picked = at[j]!;
      at[j] = at[i]!;
      at[i] = picked;
      if (!mine.has(items[picked]!)) wanted.push(items[picked]!);
    }
    level = next;
  }
  return wanted;
}

/** Counts a lease this process just granted (its transaction may still roll back: the count is a preference). */
export function countLeaseInPool(pool: AnnotationPool, transcriptId: string): void {
  const i = pool.indexOf.get(transcriptId);
  if (i !== undefined && pool.fill[i]! < SET_ASIDE) pool.fill[i]!++;
}

/** Sets a transcript aside until the next read: assignment found it full. */
export function setAsideInPool(pool: AnnotationPool, transcriptId: string): void {
  const i = pool.indexOf.get(transcriptId);
  if (i !== undefined) pool.fill[i] = SET_ASIDE;
}
