import type { Db } from '../db/database.ts';
import type { UserRow } from './people.table.ts';

// Every guarded request looked its session up in the database: a rater's submit and the next task
// the rater app asks for right after it, or the several requests a page makes as it opens, each
// paid the same statement (on PostgreSQL a round trip each). Each process keeps a session it found
// for at most SESSION_MS (findSessionKept, people.repository.ts). Signing out through this process
// drops it at once (deleteSession); a sign-out through another process, or a session removed in the
// database, is refused within SESSION_MS, the bound a study's row is kept for too
// (server/studies/rater-study.ts). A token with no session is never kept: a new sign-in is seen at once.

const SESSION_MS = 1000;
/** Sessions kept per process; the oldest go first. */
const SESSIONS_KEPT = 10_000;

/** A live session: its person and its CSRF token. */
export interface FoundSession {
  user: UserRow;
  csrfToken: string;
}

const keptByDb = new WeakMap<Db, Map<string, { session: FoundSession; readAt: number }>>();

/** The session kept for `token` if it was read less than SESSION_MS ago. */
export function keptSession(db: Db, token: string): FoundSession | undefined {
  const known = keptByDb.get(db)?.get(token);
  return known && performance.now() - known.readAt < SESSION_MS ? known.session : undefined;
}

/** Keeps a session read at `readAt` (performance.now() when the read began). */
export function keepSession(db: Db, token: string, session: FoundSession, readAt: number): void {
  let kept = keptByDb.get(db);
  if (!kept) keptByDb.set(db, (kept = new Map()));
  kept.delete(token);
  if (kept.size >= SESSIONS_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(token, { session, readAt });
}

/** Drops the kept session of `token`: it is ending, or was found gone. */
export function forgetKeptSession(db: Db, token: string): void {
  keptByDb.get(db)?.delete(token);
}
