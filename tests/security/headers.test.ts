import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/people/people.repository.ts';
import { hashPassword } from '../../server/people/password.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ withClient: true, maxBodyBytes: 2048 });
});
afterAll(() => server.close());

function expectSecurityHeaders(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy');
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/default-src 'self'/);
  expect(csp, what).toMatch(/script-src 'self'(;|$)/); // no inline script, no eval
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
}

describe('security headers', () => {
  it('are on every response: pages, assets, API answers and errors', async () => {
    const asset = readdirSync(join(PROJECT_ROOT, 'dist/client/assets')).find((f) => f.endsWith('.js'))!;
    const anonymous: [string, RequestInit?][] = [
      ['/studio'],
      ['/studio/scenarios/some-id'],
      ['/rate/st-abc123'],
      ['/signin?next=/studio'],
      [`/assets/${asset}`],
      ['/api/health'],
      ['/api/no-such-route'],
      ['/api/scenarios'], // 401
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }], // 400
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(5000) }], // 413
      ['/api/rate/prolific/st-nosuchstudy?PROLIFIC_PID=abc'], // 404
    ];
    const statuses = new Set<number>();
    for (const [path, init] of anonymous) {
      const res = await fetch(server.url + path, { ...init, redirect: 'manual' });
      statuses.add(res.status);
      expectSecurityHeaders(res, `${init?.method ?? 'GET'} ${path} (${res.status})`);
    }
    expect([...statuses].sort()).toEqual([200, 400, 401, 404, 413]);
    expectSecurityHeaders(await server.fetch('/api/scenarios'), 'GET /api/scenarios as admin');
  });
});

describe('the session cookie', () => {
  async function cookieOf(s: TestServer): Promise<string> {
    const email = `c${Math.random().toString(36).slice(2)}@example.com`;
    await createUser(s.db, {
      role: 'author',
      kind: 'account',
      name: 'A',
      email,
      passwordHash: await hashPassword('a long enough password'),
    });
    const res = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a long enough password' }),
    });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!;
  }

  it('is httpOnly and SameSite=Lax, and not Secure on plain http without a proxy', async () => {
    const cookie = await cookieOf(server);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('is Secure when the public URL is https (TLS ends at a proxy in front)', async () => {
    const s = await startTestServer({ publicUrl: 'https://crucible.example.org' });
    try {
      expect(await cookieOf(s)).toMatch(/;\s*Secure/i);
      // And browsers are told to keep to https.
      expect((await fetch(`${s.url}/api/health`)).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await s.close();
    }
  });

  it('is Secure when the trust-proxy setting is on', async () => {
    const s = await startTestServer({ trustProxy: true });
    try {
      expect(await cookieOf(s)).toMatch(/;\s*Secure/i);
    } finally {
      await s.close();
    }
  });
});
