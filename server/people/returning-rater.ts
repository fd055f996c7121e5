import type { Db } from '../db/database.ts';
import { isAnnotationStudyId, joinAnnotationStudy } from '../annotation/annotation.store.ts';
import { isStudyRater, joinStudy } from '../studies/study.repository.ts';
import { tokenHash } from './people.repository.ts';
import type { InviteRow, UserRow } from './people.table.ts';

// A rater who opens their invite link again (to come back to a batch, or after closing the tab)
// is still signed in: they continue as the same person. Joining again would make a second rater
// account, so one person could rate the same scenarios twice as two "independent" raters, and it
// would use up a place. The browser's session cookie (30 days) is what says it is the same person.

/** The invite behind a link, used up or expired or not (a returning rater's link may be both). */
export async function findInviteByToken(db: Db, token: string): Promise<InviteRow | null> {
  return (
    (await db.selectFrom('invite').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst()) ?? null
  );
}

/** Whether this rater invite joins people to the study a signed-in rater already belongs to. */
export async function hasJoinedInviteStudy(db: Db, invite: InviteRow, user: UserRow): Promise<boolean> {
  if (user.role !== 'rater' || invite.role !== 'rater' || !invite.study_id) return false;
  const studyId = invite.study_id;
  if (!isAnnotationStudyId(studyId)) return isStudyRater(db, studyId, user.id);
  const row = await db
    .selectFrom('annotation_rater')
    .select('rater_id')
    .where('study_id', '=', studyId)
    .where('rater_id', '=', user.id)
    .executeTakeFirst();
  return row !== undefined;
}

export type ReturningAcceptance = { ok: true; studyId: string | null; placeTaken: boolean } | { ok: false };

/**
 * A signed-in rater accepts a rater invite with the account they have: no new person is made.
 * Already in the invite's study: nothing changes and no place is used. Otherwise, in one
 * transaction, one use of the invite is taken and they join its study, or nothing happens.
 */
export async function acceptInviteAsSignedInRater(db: Db, token: string, user: UserRow): Promise<ReturningAcceptance> {
  return db.transaction().execute(async (trx) => {
    const invite = await findInviteByToken(trx, token);
    if (!invite || invite.role !== 'rater') return { ok: false } as const;
    if (await hasJoinedInviteStudy(trx, invite, user))
      return { ok: true, studyId: invite.study_id, placeTaken: false } as const;
    if (invite.uses >= invite.max_uses || invite.expires_at < new Date().toISOString()) return { ok: false } as const;
    await trx
      .updateTable('invite')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('token_hash', '=', invite.token_hash)
      .execute();
    if (invite.study_id) {
      if (isAnnotationStudyId(invite.study_id)) await joinAnnotationStudy(trx, invite.study_id, user.id);
      else await joinStudy(trx, invite.study_id, user.id);
    }
    return { ok: true, studyId: invite.study_id, placeTaken: true } as const;
  });
}
