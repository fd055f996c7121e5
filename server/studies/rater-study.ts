import type { Db } from '../db/database.ts';
import { findStudyWithRater, type StudyRow } from './study.repository.ts';

// Every rater request (next-task, submit, skip) starts by reading its study and whether the rater
// joined it: two of the dozen statements of a rater's next + submit. A study's row never changes
// but for its status (open or closed), and nothing takes a rater out of a study they joined, so
// each process keeps the rows it read for at most STUDY_MS, and a membership once seen. Closing or
// opening a study through this process drops its row at once (setStudyStatus); another process
// sees the change within STUDY_MS. Settings that bound a slot (raters per item) cannot change, so a
// kept row never lets a scenario be over-filled; a row kept a moment too long only lets a rater
// be given a task in a study closed that moment, as a request racing the close could be anyway.

const STUDY_MS = 1000;
/** Memberships kept per process (a crowd study's participants many times over); oldest go first. */
const MEMBERSHIPS_KEPT = 100_000;

interface Kept {
  byId: Map<string, { study: StudyRow; readAt: number }>;
  memberships: Set<string>;
}
const keptByDb = new WeakMap<Db, Kept>();

function keptFor(db: Db): Kept {
  let kept = keptByDb.get(db);
  if (!kept) keptByDb.set(db, (kept = { byId: new Map(), memberships: new Set() }));
  return kept;
}

/** The study and whether this person joined it (as findStudyWithRater), from the rows kept when fresh enough. */
export async function findStudyForRater(
  db: Db,
  id: string,
  raterId: string,
): Promise<{ study: StudyRow; joined: boolean } | undefined> {
  const kept = keptFor(db);
  const membership = `${id}\n${raterId}`;
  const known = kept.byId.get(id);
  if (known && performance.now() - known.readAt < STUDY_MS && kept.memberships.has(membership))
    return { study: known.study, joined: true };
  const readAt = performance.now();
  const found = await findStudyWithRater(db, id, raterId);
  if (!found) return undefined;
  kept.byId.set(id, { study: found.study, readAt });
  if (found.joined) {
    if (kept.memberships.size >= MEMBERSHIPS_KEPT) kept.memberships.delete(kept.memberships.values().next().value!);
    kept.memberships.add(membership);
  }
  return found;
}

/** Drops the kept row of a study whose status this process just changed. */
export function forgetKeptStudy(db: Db, id: string): void {
  keptByDb.get(db)?.byId.delete(id);
}
