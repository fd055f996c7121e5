import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role, UserSummary } from '../../schema/api/auth.ts';
import type { Db } from '../db/database.ts';
import type { InviteRow, UserRow } from './people.table.ts';
import { forgetKeptSession, keepSession, keptSession, type FoundSession } from './kept-sessions.ts';

/** A random URL-safe secret (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** R-xxxx: how a rater appears in exports and to other people; never their name or platform id. */
function newPseudonym(): string {
  return `R-${randomBytes(4).toString('hex')}`;
}

export async function createUser(
  db: Db,
  user: {
    role: Role;
    kind: UserRow['kind'];
    name: string;
    email?: string | null;
    passwordHash?: string | null;
    prolificPid?: string | null;
  },
): Promise<UserRow> {
  const row: UserRow = {
    id: randomUUID(),
    role: user.role,
    kind: user.kind,
    name: user.name,
    pseudonym: newPseudonym(),
    email: user.email?.toLowerCase() ?? null,
    password_hash: user.passwordHash ?? null,
    prolific_pid: user.prolificPid ?? null,
    created_at: new Date().toISOString(),
    disabled: 0,
  };
  await db.insertInto('user').values(row).execute();
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserByProlificPid(db: Db, pid: string): Promise<UserRow | undefined> {
  return db.selectFrom('user').selectAll().where('prolific_pid', '=', pid).executeTakeFirst();
}

export async function countAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('user')
    .select(db.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
  const rows = await db.selectFrom('user').selectAll().orderBy('created_at').execute();
  return rows.map((u) => ({
    id: u.id,
    role: u.role,
    name: u.name,
    pseudonym: u.pseudonym,
    email: u.email,
    kind: u.kind,
    createdAt: u.created_at,
  }));
}

// Sessions ----------------------------------------------------------------------------------

const SESSION_DAYS = 30;

/** Opens a session; the token goes in the cookie, only its hash is stored. */
export async function createSession(
  db: Db,
  userId: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db
    .insertInto('session')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: new Date().toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function findSession(db: Db, token: string): Promise<{ user: UserRow; csrfToken: string } | null> {
  const row = await db
    .selectFrom('session')
    .innerJoin('user', 'user.id', 'session.user_id')
    .selectAll('user')
    .select(['session.csrf_token', 'session.expires_at'])
    .where('session.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at < new Date().toISOString()) return null;
  const { csrf_token, expires_at: _expires, ...user } = row;
  return { user, csrfToken: csrf_token };
}

/**
 * The live session of `token`, as findSession, from the one this process read less than a second
 * ago when there is one (kept-sessions.ts says why and what that bound means for a sign-out).
 */
export async function findSessionKept(db: Db, token: string): Promise<FoundSession | null> {
  const known = keptSession(db, token);
  if (known) return known;
  const readAt = performance.now();
  const session = await findSession(db, token);
  if (session) keepSession(db, token, session, readAt);
  else forgetKeptSession(db, token);
  return session;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  forgetKeptSession(db, token);
  await db.deleteFrom('session').where('token_hash', '=', tokenHash(token)).execute();
}

// Invites ------------------------------------------------------------------------------------

export async function createInvite(
  db: Db,
  invite: { role: Role; studyId: string | null; createdBy: string | null; maxUses: number; expiresInHours: number },
): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + invite.expiresInHours * 3_600_000).toISOString();
  await db
    .insertInto('invite')
    .values({
      token_hash: tokenHash(token),
      role: invite.role,
      study_id: invite.studyId,
      created_by: invite.createdBy,
      created_at: new Date().toISOString(),
      expires_at: expiresAt,
      max_uses: invite.maxUses,
      uses: 0,
    })
    .execute();
  return { token, expiresAt };
}

/** A usable invite (unexpired, uses left), or null. */
export async function findUsableInvite(db: Db, token: string): Promise<InviteRow | null> {
  const row = await db.selectFrom('invite').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (!row || row.uses >= row.max_uses || row.expires_at < new Date().toISOString()) return null;
  return row;
}

/** Takes one use of an invite; false when it was used up in the meantime. */
export async function useInvite(db: Db, tokenHashValue: string): Promise<boolean> {
  const r = await db
    .updateTable('invite')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('token_hash', '=', tokenHashValue)
    .whereRef('uses', '<', 'max_uses')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
