import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CSRF_HEADER, type Role } from '../../schema/api/auth.ts';
import type { Db } from '../db/database.ts';
import { findSessionKept } from '../people/people.repository.ts';
import type { UserRow } from '../people/people.table.ts';
import { apiError } from './errors.ts';
import type { SecuritySettings } from './security-settings.ts';

export const SESSION_COOKIE = 'crucible_session';

/** What a guarded route may read: the signed-in person. */
export type AuthEnv = { Variables: { user: UserRow; sessionToken: string } };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets the request through only with a live session whose role is one of `roles`. State-changing
 * requests must also carry the session's CSRF token in a header, which a cross-site form or
 * script cannot read or set (the cookie is SameSite=Lax too: two locks, not one).
 */
export function requireRole(db: Db, roles: readonly Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await findSessionKept(db, token) : null;
    if (!session || !token) return apiError(c, 401, 'unauthenticated', 'sign in first');
    if (!roles.includes(session.user.role))
      return apiError(c, 403, 'forbidden', `this needs the role ${roles.join(' or ')}`);
    if (!SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== session.csrfToken) {
      return apiError(c, 403, 'forbidden', `missing or wrong ${CSRF_HEADER} header`);
    }
    c.set('user', session.user);
    c.set('sessionToken', token);
    await next();
  };
}

/**
 * Sets the session cookie: httpOnly (no script reads it), SameSite=Lax, Secure over https or when
 * the settings say the public side is https (a TLS-terminating proxy).
 */
export function setSessionCookie(
  c: Context,
  token: string,
  expiresAt: Date,
  security: Pick<SecuritySettings, 'secureCookies'>,
): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: security.secureCookies || new URL(c.req.url).protocol === 'https:',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export const STUDIO_ROLES: readonly Role[] = ['admin', 'author'];
export const ADMIN_ROLES: readonly Role[] = ['admin'];
export const RATING_ROLES: readonly Role[] = ['admin', 'author', 'rater'];
