import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../schema/api/auth.ts';
import { createApp } from '../../server/app.ts';
import { startTestServer, type TestServer, type TestSession } from '../support/test-server.ts';

// Every API route, found from the app itself (so a new route cannot be forgotten), called by each
// role and by nobody. The test asserts the access rule only: who is turned away (401 / 403) and
// who gets past the guard (any other status: 2xx, or 400/404/409/422 for the dummy input).

type Access = 'public' | 'signed-in' | 'studio' | 'admin';

const RULES: [RegExp, Access][] = [
  [/^GET \/api\/health$/, 'public'],
  [/^GET \/api\/auth\/me$/, 'public'],
  [/^POST \/api\/auth\/login$/, 'public'],
  [/^(GET|POST) \/api\/auth\/invites\//, 'public'],
  [/^GET \/api\/rate\/prolific\//, 'public'],
  [/^POST \/api\/rate\/prolific\//, 'signed-in'], // a studio user's "sign me out and continue"
  [/^POST \/api\/auth\/logout$/, 'signed-in'],
  [/^(GET|POST|PUT) \/api\/rate\/(studies|annotation)\//, 'signed-in'],
  [/^GET \/api\/rate\/mine$/, 'signed-in'],
  [
    /^\w+ \/api\/(scenarios|taxonomy|models|dryruns|judges|calibration|runs|leaderboards|import|releases|analysis|jobs|generation)(\/|$)/,
    'studio',
  ],
  [/^GET \/api\/annotation-studies(\/|$)/, 'studio'],
  [/^POST \/api\/annotation-studies(\/|$)/, 'admin'],
  [/^GET \/api\/studies(\/|$)/, 'studio'],
  [/^(POST|PUT) \/api\/studies(\/|$)/, 'admin'],
  [/^\w+ \/api\/admin\//, 'admin'],
];

const allowed: Record<Access, (Role | 'none')[]> = {
  public: ['none', 'rater', 'author', 'admin'],
  'signed-in': ['rater', 'author', 'admin'],
  studio: ['author', 'admin'],
  admin: ['admin'],
};

let server: TestServer;
let sessions: Record<Role, TestSession>;
let routes: { method: string; path: string; access: Access }[];

beforeAll(async () => {
  server = await startTestServer();
  sessions = { admin: server.admin, author: await server.signIn('author'), rater: await server.signIn('rater') };
  const found = createApp(server.services)
    .routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
    .map((r) => ({ method: r.method, path: r.path }));
  routes = [...new Map(found.map((r) => [`${r.method} ${r.path}`, r])).values()].map((r) => {
    const key = `${r.method} ${r.path}`;
    const matches = RULES.filter(([re]) => re.test(key));
    if (matches.length !== 1)
      throw new Error(`route ${key} matches ${matches.length} access rules; give it exactly one`);
    return { ...r, access: matches[0]![1] };
  });
});
afterAll(() => server.close());

const concrete = (path: string) =>
  path
    .replace(':token', 'x'.repeat(43))
    .replace(
      ':id',
      /^\/api\/(dryruns|judges|runs|jobs|generation)/.test(path)
        ? '00000000-0000-4000-8000-000000000000'
        : path.startsWith('/api/scenarios')
          ? 'no-such-scenario'
          : /annotation/.test(path)
            ? 'an-nonexistent'
            : 'st-nonexistent',
    )
    .replace(':annotationId', '00000000-0000-4000-8000-000000000000')
    .replace(':ratingId', '00000000-0000-4000-8000-000000000000');

async function call(method: string, path: string, who: Role | 'none', withCsrf = true): Promise<number> {
  const init: RequestInit = { method, redirect: 'manual', signal: AbortSignal.timeout(5000) };
  if (method !== 'GET') init.body = '{}';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who !== 'none') {
    headers.cookie = sessions[who].cookie;
    if (withCsrf) headers['x-csrf-token'] = sessions[who].csrf;
  }
  const res = await fetch(`${server.url}${concrete(path)}`, { ...init, headers });
  await res.body?.cancel();
  return res.status;
}

describe('every API route with every role', () => {
  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it('turns away exactly the roles that may not call each route', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      if (r.path === '/api/scenarios/events' || r.path === '/api/auth/logout') continue; // checked below
      for (const who of ['none', 'rater', 'author', 'admin'] as const) {
        const status = await call(r.method, r.path, who);
        const mayPass = allowed[r.access].includes(who);
        const expected = mayPass ? 'past the guard' : who === 'none' ? 401 : 403;
        const ok = mayPass
          ? status !== 403 && !(status === 401 && !(r.path === '/api/auth/me' || r.path === '/api/auth/login'))
          : status === expected;
        if (!ok) wrong.push(`${r.method} ${r.path} as ${who}: ${status}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses state-changing calls without the CSRF token, even from an admin', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.method !== 'GET' && x.access !== 'public')) {
      const status = await call(r.method, r.path, 'admin', false);
      if (status !== 403) wrong.push(`${r.method} ${r.path}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('signs out only a signed-in person, with the CSRF token', async () => {
    expect(await call('POST', '/api/auth/logout', 'none')).toBe(401);
    const rater = await server.signIn('rater');
    sessions.rater = rater;
    expect(await call('POST', '/api/auth/logout', 'rater', false)).toBe(403);
    expect(await call('POST', '/api/auth/logout', 'rater')).toBe(200);
    expect(await call('GET', '/api/rate/studies/st-nonexistent', 'rater')).toBe(401);
  });

  it('keeps raters and strangers off the live scenario stream', async () => {
    sessions.rater = await server.signIn('rater');
    for (const who of ['none', 'rater'] as const) {
      const status = await call('GET', '/api/scenarios/events', who);
      expect(status).toBe(who === 'none' ? 401 : 403);
    }
  });
});
