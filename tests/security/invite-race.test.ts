import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../server/people/people.repository.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function newInvite(body: Record<string, unknown>): Promise<string> {
  const res = await server.fetch('/api/admin/invites', { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const accept = (token: string, body: Record<string, unknown>) =>
  fetch(`${server.url}/api/auth/invites/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const usesOf = async (token: string) =>
  (
    await server.db
      .selectFrom('invite')
      .select('uses')
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirstOrThrow()
  ).uses;

describe('POST /api/auth/invites/:token/accept', () => {
  it('makes one account from four parallel accepts with one email: one 201, the rest 409, one place used', async () => {
    const token = await newInvite({ role: 'author', maxUses: 4 });
    const body = { name: 'Ada', email: 'race@example.com', password: 'a long enough password' };
    const responses = await Promise.all([1, 2, 3, 4].map(() => accept(token, body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const r of responses.filter((r) => r.status === 409))
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('already_exists');
    expect(await usesOf(token)).toBe(1);
    const accounts = await server.db.selectFrom('user').select('id').where('email', '=', 'race@example.com').execute();
    expect(accounts).toHaveLength(1);
    // The three places left still work for other people.
    expect((await accept(token, { ...body, email: 'other@example.com' })).status).toBe(201);
    expect(await usesOf(token)).toBe(2);
  });

  it('answers an email that already has an account with 409 and takes no place of the invite', async () => {
    const first = await newInvite({ role: 'author' });
    expect(
      (await accept(first, { name: 'Bo', email: 'bo@example.com', password: 'a long enough password' })).status,
    ).toBe(201);
    const second = await newInvite({ role: 'author', maxUses: 1 });
    const res = await accept(second, { name: 'Bo again', email: 'BO@example.com', password: 'another long password' });
    expect(res.status).toBe(409);
    expect(await usesOf(second)).toBe(0);
    // The one place is still there.
    expect(
      (await accept(second, { name: 'Cy', email: 'cy@example.com', password: 'a long enough password' })).status,
    ).toBe(201);
  });

  it('gives a one-place rater invite to exactly one of four parallel accepts, who joins the study', async () => {
    const token = await newInvite({ role: 'rater', maxUses: 1 });
    const responses = await Promise.all([1, 2, 3, 4].map((i) => accept(token, { name: `Rater ${i}` })));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 404, 404, 404]);
    expect(await usesOf(token)).toBe(1);
  });
});
