import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address a request came from, for throttles: the socket's peer, or, behind a reverse proxy
 * that the `CRUCIBLE_TRUST_PROXY` setting vouches for, the last X-Forwarded-For entry (the one that
 * proxy appended; entries before it are whatever the client sent, so they are never believed).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // no socket: a request made in-process (app.request), as some tests do
  }
}
