import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { RatedVersion } from './rated-version.ts';

// Assignment wants the scenarios with the fewest ratings, and counting a study's ratings on every
// call costs in proportion to the ratings made (a millisecond per thousand on SQLite). The counts
// only order the candidates, and assignment counts the one it picks again under that scenario's
// lock (assignment.ts), so they may lag: each process reads them at most every HINT_MS, and adds
// the ratings it stores itself as it stores them. Another process's ratings show up within HINT_MS,
// or at once when assignment finds a scenario full that the hint said had room.

/** Ratings of one scenario version. */
export type VersionCount = { scenario_id: string; n: number } & RatedVersion;

const HINT_MS = 2000;

interface Hint {
  readAt: number;
  counts: Map<string, VersionCount>;
}
const hintsByDb = new WeakMap<Db, Map<string, Hint>>();

const keyOf = (v: { scenario_id: string } & RatedVersion) =>
  `${v.scenario_id}\n${v.content_hash}\n${v.rater_view_hash ?? ''}`;

/** The study's ratings per scenario version, at most HINT_MS old (read through `trx` when older). */
export async function ratingCountsHint(db: Db, trx: Transaction<Database>, studyId: string): Promise<VersionCount[]> {
  let hints = hintsByDb.get(db);
  if (!hints) hintsByDb.set(db, (hints = new Map()));
  const known = hints.get(studyId);
  if (known && performance.now() - known.readAt < HINT_MS) return [...known.counts.values()];
  const readAt = performance.now();
  const rows = await trx
    .selectFrom('realism_rating')
    .select(['scenario_id', 'content_hash', 'rater_view_hash', trx.fn.countAll<number>().as('n')])
    .where('study_id', '=', studyId)
    .groupBy(['scenario_id', 'content_hash', 'rater_view_hash'])
    .execute();
  const counts = new Map(rows.map((r) => [keyOf(r), { ...r, n: Number(r.n) }]));
  hints.set(studyId, { readAt, counts });
  return [...counts.values()];
}

/** Adds a rating this process stored (after its commit) to the study's hint. */
export function countRatingInHint(db: Db, studyId: string, version: { scenario_id: string } & RatedVersion): void {
  const counts = hintsByDb.get(db)?.get(studyId)?.counts;
  if (!counts) return;
  const key = keyOf(version);
  const known = counts.get(key);
  if (known) known.n++;
  else counts.set(key, { ...version, n: 1 });
}

/** Drops the study's hint: assignment found a scenario full that the hint said had room (another process filled it). */
export function forgetHint(db: Db, studyId: string): void {
  hintsByDb.get(db)?.delete(studyId);
}
