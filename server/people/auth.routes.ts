import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  AcceptInviteRequestSchema,
  CreateInviteRequestSchema,
  LoginRequestSchema,
  type CreatedInvite,
  type InviteInfo,
  type Me,
} from '../../schema/api/auth.ts';
import type { Db } from '../db/database.ts';
import {
  ADMIN_ROLES,
  clearSessionCookie,
  requireRole,
  SESSION_COOKIE,
  setSessionCookie,
  type AuthEnv,
} from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { hashPassword, unknownAccountHash, verifyPassword } from './password.ts';
import { clientAddress } from '../http/client-address.ts';
import type { SecuritySettings } from '../http/security-settings.ts';
import {
  createInvite,
  createSession,
  deleteSession,
  findSession,
  findUserByEmail,
  findUsableInvite,
  listUsers,
} from './people.repository.ts';
import type { UserRow } from './people.table.ts';
import { acceptInvite } from './invite-acceptance.ts';
import { acceptInviteAsSignedInRater, findInviteByToken, hasJoinedInviteStudy } from './returning-rater.ts';
import { LoginThrottle } from './login-throttle.ts';

const TokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'not an invite token') });

export function meOf(user: UserRow, csrfToken: string): Me {
  return { id: user.id, role: user.role, name: user.name, pseudonym: user.pseudonym, csrfToken };
}

export function authRoutes(db: Db, security: SecuritySettings) {
  const throttle = new LoginThrottle();
  // Made now, not at the first unknown email, so even that first answer takes no longer than the others.
  void unknownAccountHash();
  /** The rater this browser is signed in as, if any (invite routes are public: no guard sets the user). */
  const signedInRater = async (c: Context): Promise<{ user: UserRow; csrfToken: string } | null> => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await findSession(db, token) : null;
    return session?.user.role === 'rater' ? session : null;
  };
  return (
    new Hono<AuthEnv>()
      // GET /api/auth/me
      .get('/me', async (c) => {
        const token = getCookie(c, SESSION_COOKIE);
        const session = token ? await findSession(db, token) : null;
        if (!session) return apiError(c, 401, 'unauthenticated', 'not signed in');
        return c.json(meOf(session.user, session.csrfToken), 200);
      })
      // POST /api/auth/login
      .post('/login', zValidator('json', LoginRequestSchema, validationHook('json')), async (c) => {
        const { email, password } = c.req.valid('json');
        const account = email.toLowerCase();
        const address = clientAddress(c, security.trustProxy);
        const waitMs = throttle.waitMs(address, account);
        if (waitMs > 0) {
          const seconds = Math.ceil(waitMs / 1000);
          c.header('Retry-After', String(seconds));
          return apiError(c, 429, 'rate_limited', `too many failed sign-ins; try again in ${seconds} s`);
        }
        const user = await findUserByEmail(db, email);
        // The same scrypt work whether or not the account exists (or has a password).
        const ok = await verifyPassword(password, user?.password_hash ?? (await unknownAccountHash()));
        if (!user || !user.password_hash || user.disabled || !ok) {
          throttle.fail(address, account);
          return apiError(c, 401, 'unauthenticated', 'wrong email or password');
        }
        throttle.succeed(account);
        const session = await createSession(db, user.id);
        setSessionCookie(c, session.token, session.expiresAt, security);
        return c.json(meOf(user, session.csrfToken), 200);
      })
      // POST /api/auth/logout
      .post('/logout', requireRole(db, ['admin', 'author', 'rater']), async (c) => {
        await deleteSession(db, c.var.sessionToken);
        clearSessionCookie(c);
        return c.json({ signedOut: true }, 200);
      })
      // GET /api/auth/invites/:token: what the link is for, and whether the rater signed in here already joined
      .get('/invites/:token', zValidator('param', TokenParam, validationHook('param')), async (c) => {
        const token = c.req.valid('param').token;
        const rater = (await signedInRater(c))?.user;
        const found = rater ? await findInviteByToken(db, token) : null;
        const joined = !!(rater && found && (await hasJoinedInviteStudy(db, found, rater)));
        const invite = joined ? found : await findUsableInvite(db, token);
        if (!invite) return apiError(c, 404, 'not_found', 'this invite link is unknown, used up or expired');
        const body: InviteInfo = {
          role: invite.role,
          studyId: invite.study_id,
          needsAccount: invite.role !== 'rater',
          joined,
          signedInAs: rater && invite.role === 'rater' ? { name: rater.name, pseudonym: rater.pseudonym } : null,
        };
        return c.json(body, 200);
      })
      // POST /api/auth/invites/:token/accept: join; admins and authors set an email and password
      .post(
        '/invites/:token/accept',
        zValidator('param', TokenParam, validationHook('param')),
        zValidator('json', AcceptInviteRequestSchema, validationHook('json')),
        async (c) => {
          const { token } = c.req.valid('param');
          const body = c.req.valid('json');
          // A rater signed in here joins with the account they have (see returning-rater.ts).
          const rater = await signedInRater(c);
          if (rater) {
            const returning = await acceptInviteAsSignedInRater(db, token, rater.user);
            if (returning.ok) {
              const me = meOf(rater.user, rater.csrfToken);
              return c.json({ me, studyId: returning.studyId }, returning.placeTaken ? 201 : 200);
            }
          }
          const invite = await findUsableInvite(db, token);
          if (!invite) return apiError(c, 404, 'not_found', 'this invite link is unknown, used up or expired');
          const needsAccount = invite.role !== 'rater';
          if (needsAccount && (!body.email || !body.password))
            return apiError(c, 400, 'bad_request', 'an admin or author account needs an email and a password');
          // Hashed before the transaction: the slow part must not hold the database.
          const accepted = await acceptInvite(db, token, {
            name: body.name,
            email: needsAccount ? body.email! : null,
            passwordHash: needsAccount ? await hashPassword(body.password!) : null,
          });
          if (!accepted.ok)
            return accepted.reason === 'email-taken'
              ? apiError(c, 409, 'already_exists', 'an account with this email exists; sign in instead')
              : apiError(c, 404, 'not_found', 'this invite link was just used up');
          const { user, session } = accepted;
          setSessionCookie(c, session.token, session.expiresAt, security);
          return c.json({ me: meOf(user, session.csrfToken), studyId: accepted.studyId }, 201);
        },
      )
  );
}

export function adminPeopleRoutes(db: Db) {
  return (
    new Hono<AuthEnv>()
      .use(requireRole(db, ADMIN_ROLES))
      // GET /api/admin/users
      .get('/users', async (c) => c.json({ users: await listUsers(db) }, 200))
      // POST /api/admin/invites: a link for a new admin, author or rater
      .post('/invites', zValidator('json', CreateInviteRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const { token, expiresAt } = await createInvite(db, {
          role: req.role,
          studyId: req.studyId ?? null,
          createdBy: c.var.user.id,
          maxUses: req.maxUses,
          expiresInHours: req.expiresInHours,
        });
        const body: CreatedInvite = {
          url: `${new URL(c.req.url).origin}/join/${token}`,
          token,
          role: req.role,
          expiresAt,
          maxUses: req.maxUses,
        };
        return c.json(body, 201);
      })
  );
}
