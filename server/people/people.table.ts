import type { Generated, Selectable } from 'kysely';
import type { Role } from '../../schema/api/auth.ts';

/** A person (see migration 2026-11-27T0300-people). */
export interface UserTable {
  id: string;
  role: Role;
  /** account: email + password; invite: joined by a link, no password; prolific: a crowd participant. */
  kind: 'account' | 'invite' | 'prolific';
  name: string;
  pseudonym: string;
  email: string | null;
  password_hash: string | null;
  prolific_pid: string | null;
  created_at: string;
  disabled: Generated<number>;
}
export type UserRow = Selectable<UserTable>;

/** A signed-in browser. Only the token's hash is stored: a leaked database opens no session. */
export interface SessionTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface InviteTable {
  token_hash: string;
  role: Role;
  study_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  max_uses: number;
  uses: Generated<number>;
}
export type InviteRow = Selectable<InviteTable>;
