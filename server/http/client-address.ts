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
    if (forwarded) return throttleKeyOf(forwarded);
  }
  try {
    return throttleKeyOf(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    return 'unknown'; // no socket: a request made in-process (app.request), as some tests do
  }
}

/**
 * What a throttle counts an address as: an IPv4 address itself (also when written IPv4-mapped,
 * `::ffff:1.2.3.4`), an IPv6 address by its /64 network, since one subscriber is handed a whole
 * /64 and could otherwise take a fresh address for every attempt.
 */
export function throttleKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const zeros = Array(Math.max(0, 8 - headParts.length - tailParts.length)).fill('0');
  const groups = [...headParts, ...zeros, ...tailParts].map((g) => g.replace(/^0+(?=.)/, ''));
  return `${groups.slice(0, 4).join(':')}::/64`;
}
