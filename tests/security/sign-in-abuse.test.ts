import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../server/people/people.repository.ts';
import { hashPassword } from '../../server/people/password.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Every password check the server makes, by the stored hash it was checked against: sign-in must do
// the same scrypt work whether or not the account exists (timing must not tell).
const checkedAgainst = vi.hoisted(() => [] as string[]);
vi.mock('../../server/people/password.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/people/password.ts')>();
  return {
    ...real,
    verifyPassword: (password: string, stored: string) => {
      checkedAgainst.push(stored);
      return real.verifyPassword(password, stored);
    },
  };
});

const OWNER = { email: 'owner@example.com', password: 'the owner password' };

let proxied: TestServer;
let direct: TestServer;
let ownerHash: string;
beforeAll(async () => {
  [proxied, direct] = await Promise.all([startTestServer({ trustProxy: true }), startTestServer()]);
  ownerHash = await hashPassword(OWNER.password);
  for (const server of [proxied, direct])
    await createUser(server.db, {
      role: 'author',
      kind: 'account',
      name: 'Owner',
      email: OWNER.email,
      passwordHash: ownerHash,
    });
});
afterAll(() => Promise.all([proxied?.close(), direct?.close()]));

function signIn(server: TestServer, body: { email: string; password: string }, from?: string) {
  return fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify(body),
  });
}

/** Fails sign-ins until the server says to wait; returns how many 401s came first (at most `limit`). */
async function failUntilThrottled(attempt: (i: number) => Promise<Response>, limit: number) {
  for (let i = 0; i < limit; i++) {
    const res = await attempt(i);
    if (res.status === 429) return { failures: i, throttled: res };
    expect(res.status).toBe(401);
  }
  return { failures: limit, throttled: null };
}

describe('POST /api/auth/login under attack', () => {
  it('checks a password against a real scrypt hash even for an unknown email or a passwordless account', async () => {
    await createUser(proxied.db, { role: 'rater', kind: 'invite', name: 'Invited', email: 'invited@example.com' });
    const params = (hash: string) => hash.split('$').slice(0, 4).join('$'); // scrypt$N$r$p
    const from = '198.51.100.10';
    const answers: string[] = [];
    for (const email of [OWNER.email, 'nobody@example.com', 'invited@example.com']) {
      checkedAgainst.length = 0;
      const res = await signIn(proxied, { email, password: 'a wrong password' }, from);
      expect(res.status).toBe(401);
      answers.push(await res.text());
      expect(checkedAgainst).toHaveLength(1);
      expect(params(checkedAgainst[0]!)).toBe(params(ownerHash));
    }
    // The same answer for each: it does not say which accounts exist.
    expect(new Set(answers).size).toBe(1);
  });

  it('slows repeated guesses on one account from one address, and lets the owner in from another address', async () => {
    const attacker = '203.0.113.7';
    const { failures, throttled } = await failUntilThrottled(
      () => signIn(proxied, { email: OWNER.email, password: 'guess' }, attacker),
      30,
    );
    expect(throttled).not.toBeNull();
    expect(failures).toBeLessThanOrEqual(10);
    expect(Number(throttled!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await throttled!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // The attacker keeps being refused (no password is even checked) ...
    checkedAgainst.length = 0;
    expect((await signIn(proxied, { email: OWNER.email, password: OWNER.password }, attacker)).status).toBe(429);
    expect(checkedAgainst).toHaveLength(0);
    // ... while the owner, from an address with no failures, signs in at once.
    const owner = await signIn(proxied, OWNER, '198.51.100.77');
    expect(owner.status).toBe(200);
    expect(owner.headers.get('set-cookie')).toMatch(/crucible_session=/);
  });

  it('throttles one address spraying many emails', async () => {
    const sprayer = '192.0.2.50';
    const { failures, throttled } = await failUntilThrottled(
      (i) => signIn(proxied, { email: `user${i}@example.com`, password: 'Password1!' }, sprayer),
      30,
    );
    expect(throttled).not.toBeNull();
    expect(failures).toBe(10);
    // Another address is not affected.
    expect((await signIn(proxied, { email: 'user99@example.com', password: 'x' }, '192.0.2.51')).status).toBe(401);
  });

  it('ignores X-Forwarded-For unless the trust-proxy setting is on: a forged header does not escape the throttle', async () => {
    const { failures, throttled } = await failUntilThrottled(
      (i) => signIn(direct, { email: `spray${i}@example.com`, password: 'Password1!' }, `10.0.0.${i + 1}`),
      30,
    );
    expect(throttled).not.toBeNull();
    expect(failures).toBe(10);
  });
});
