import type { Db } from '../db/database.ts';
import { countAdmins, createInvite } from './people.repository.ts';

/**
 * While no admin exists, each start makes a fresh one-time admin invite and returns its token, for
 * the terminal only: whoever can read the server's output sets up the first account.
 */
export async function firstAdminInvite(db: Db): Promise<string | null> {
  if ((await countAdmins(db)) > 0) return null;
  const { token } = await createInvite(db, {
    role: 'admin',
    studyId: null,
    createdBy: null,
    maxUses: 1,
    expiresInHours: 24,
  });
  return token;
}
