import type { Db } from '../db/database.ts';
import { isAnnotationStudyId, joinAnnotationStudy } from '../annotation/annotation.store.ts';
import { joinStudy } from '../studies/study.repository.ts';
import { createSession, createUser, findUserByEmail, tokenHash } from './people.repository.ts';
import type { UserRow } from './people.table.ts';

/** Who accepts an invite: a name, and for admin and author invites an email and a hashed password. */
export interface Joiner {
  name: string;
  email: string | null;
  passwordHash: string | null;
}

export type InviteAcceptance =
  | { ok: true; user: UserRow; studyId: string | null; session: { token: string; csrfToken: string; expiresAt: Date } }
  | { ok: false; reason: 'unusable' | 'email-taken' };

/**
 * Accepts an invite in one transaction: the invite is checked and one use taken, the person made,
 * their study joined and their session opened together, or nothing happens. Parallel accepts of
 * the same invite with the same email therefore make one account and use one place; the others
 * see the account (`email-taken`) and change nothing. Isolation: READ COMMITTED on PostgreSQL is
 * enough: the use is taken by an UPDATE guarded by `uses < max_uses`, which waits for a concurrent
 * accept's row lock and re-checks the guard on the committed row, and the unique email refuses a
 * second account (answered as email-taken, the transaction and its use rolled back). SQLite runs one
 * transaction at a time.
 */
export async function acceptInvite(db: Db, token: string, joiner: Joiner): Promise<InviteAcceptance> {
  try {
    return await db.transaction().execute(async (trx) => {
      const hash = tokenHash(token);
      const invite = await trx.selectFrom('invite').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      if (!invite || invite.uses >= invite.max_uses || invite.expires_at < new Date().toISOString())
        return { ok: false, reason: 'unusable' } as const;
      if (joiner.email && (await findUserByEmail(trx, joiner.email)))
        return { ok: false, reason: 'email-taken' } as const;
      // Guarded again in the update: on PostgreSQL a parallel transaction may have taken the last place
      // between our read and this write (SQLite runs one transaction at a time).
      const taken = await trx
        .updateTable('invite')
        .set((eb) => ({ uses: eb('uses', '+', 1) }))
        .where('token_hash', '=', hash)
        .whereRef('uses', '<', 'max_uses')
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) return { ok: false, reason: 'unusable' } as const;
      const user = await createUser(trx, {
        role: invite.role,
        kind: joiner.passwordHash ? 'account' : 'invite',
        name: joiner.name,
        email: joiner.email,
        passwordHash: joiner.passwordHash,
      });
      if (invite.study_id) {
        if (isAnnotationStudyId(invite.study_id)) await joinAnnotationStudy(trx, invite.study_id, user.id);
        else await joinStudy(trx, invite.study_id, user.id);
      }
      const session = await createSession(trx, user.id);
      return { ok: true, user, studyId: invite.study_id, session } as const;
    });
  } catch (err) {
    // Another process (PostgreSQL, several servers) made the same email between our check and insert;
    // the transaction rolled back, so the invite's use was given back too.
    if (joiner.email && isUniqueViolation(err)) return { ok: false, reason: 'email-taken' };
    throw err;
  }
}

/** SQLite's and PostgreSQL's unique-constraint errors. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
