import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROLIFIC_ENTRY_LIMITS } from '../../server/studies/prolific-entry.routes.ts';
import { createRealismStudy } from '../studies/study-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// GET /api/rate/prolific/:id is open to anyone and makes a person and a session: it is rate limited,
// it never signs a studio user out, and a study can insist on the platform's ids.

let server: TestServer;
let studyId: string;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true, trustProxy: true });
  studyId = await createRealismStudy(server, { filter: { behavior: 'sycophancy' } });
});
afterAll(() => server.close());

let pids = 0;
const newPid = () => `a1b2c3d4e5f6a7b8c9d0${String(++pids).padStart(4, '0')}`;

function arrive(opts: {
  study?: string;
  pid?: string;
  from?: string;
  query?: string;
  headers?: Record<string, string>;
}) {
  const query = opts.query ?? `PROLIFIC_PID=${opts.pid ?? newPid()}&STUDY_ID=abc123&SESSION_ID=def456`;
  return fetch(`${server.url}/api/rate/prolific/${opts.study ?? studyId}?${query}`, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': opts.from ?? '198.51.100.1', ...opts.headers },
  });
}

const participants = async () =>
  Number(
    (
      await server.db
        .selectFrom('user')
        .select(server.db.fn.countAll<number>().as('n'))
        .where('kind', '=', 'prolific')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('GET /api/rate/prolific/:id', () => {
  it('limits arrivals from one address, and makes no participant once limited', async () => {
    const from = '203.0.113.20';
    const { capacity } = PROLIFIC_ENTRY_LIMITS.perAddress;
    for (let i = 0; i < capacity; i++) expect((await arrive({ from })).status).toBe(302);
    const before = await participants();
    const limited = await arrive({ from });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect(await participants()).toBe(before);
    // Another address is not held up.
    expect((await arrive({ from: '203.0.113.21' })).status).toBe(302);
  });

  it('limits new participants of one study across addresses, but lets known participants back in', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' } });
    const { capacity, refillMs } = PROLIFIC_ENTRY_LIMITS.perStudy;
    const firstPid = newPid();
    const started = Date.now();
    expect((await arrive({ study: id, pid: firstPid, from: '10.1.0.0' })).status).toBe(302);
    let limitedAt = -1;
    for (let i = 1; i <= capacity * 3 && limitedAt < 0; i++) {
      const res = await arrive({ study: id, from: `10.1.${Math.floor(i / 250)}.${i % 250}` });
      if (res.status === 429) limitedAt = i;
      else expect(res.status).toBe(302);
    }
    // The bucket refills while the loop runs (one a second): allow for that, however slow the machine.
    const refilled = Math.ceil((Date.now() - started) / refillMs);
    expect(limitedAt).toBeGreaterThanOrEqual(capacity);
    expect(limitedAt).toBeLessThanOrEqual(capacity + refilled);
    expect((await arrive({ study: id, pid: firstPid, from: '10.9.9.9' })).status).toBe(302);
  });

  it('never replaces the session of someone signed in to the studio, and asks instead', async () => {
    for (const role of ['admin', 'author'] as const) {
      const staff = await server.signIn(role, { name: '<img src=x onerror=alert(1)> Staff' });
      const before = await participants();
      const page = await arrive({ headers: { cookie: staff.cookie, accept: 'text/html,*/*' } });
      expect(page.status).toBe(409);
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const text = await page.text();
      expect(text).toContain('signed in to the Crucible studio');
      expect(text).toContain('Nothing has changed yet');
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt; Staff');
      expect(text).not.toContain('<img');
      // The question: a form that posts back here with the session's CSRF token.
      expect(text).toMatch(new RegExp(`<form method="post" action="/api/rate/prolific/${studyId}\\?PROLIFIC_PID=`));
      expect(text).toContain(`name="csrf" value="${staff.csrf}"`);
      // A program gets the error envelope.
      const api = await arrive({ headers: { cookie: staff.cookie } });
      expect(api.status).toBe(409);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('conflict');
      expect(await participants()).toBe(before);
      // Still signed in as before.
      const me = (await (await staff.fetch('/api/auth/me')).json()) as { role: string };
      expect(me.role).toBe(role);
    }
  });

  it('signs a studio user out and lets them in as the participant only when they confirm with their CSRF token', async () => {
    const staff = await server.signIn('admin');
    const pid = newPid();
    const confirm = (body: string, cookie?: string) =>
      fetch(`${server.url}/api/rate/prolific/${studyId}?PROLIFIC_PID=${pid}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': '198.51.100.50',
          ...(cookie ? { cookie } : {}),
        },
        body,
      });
    const signedIn = async () => (await staff.fetch('/api/auth/me')).status === 200;
    // Another site's form: no cookie reaches us (SameSite=Lax), or no token.
    expect((await confirm(`csrf=${staff.csrf}`)).status).toBe(401);
    expect((await confirm('', staff.cookie)).status).toBe(403);
    expect((await confirm('csrf=guessed', staff.cookie)).status).toBe(403);
    expect(await signedIn()).toBe(true);
    expect(await server.db.selectFrom('user').select('id').where('prolific_pid', '=', pid).execute()).toEqual([]);

    const confirmed = await confirm(`csrf=${encodeURIComponent(staff.csrf)}`, staff.cookie);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/rate/${studyId}`);
    expect(confirmed.headers.get('set-cookie')).toMatch(/crucible_session=/);
    expect(await signedIn()).toBe(false);
    expect(await server.db.selectFrom('user').select('id').where('prolific_pid', '=', pid).execute()).toHaveLength(1);
  });

  it('does let a rater’s browser in as the participant', async () => {
    const rater = await server.signIn('rater');
    const res = await arrive({ headers: { cookie: rater.cookie }, from: '198.51.100.30' });
    expect(res.status).toBe(302);
    expect(res.headers.get('set-cookie')).toMatch(/crucible_session=/);
  });

  it('requires the platform’s STUDY_ID and SESSION_ID when the study says so', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' }, requirePlatformIds: true });
    const pid = newPid();
    for (const query of [
      `PROLIFIC_PID=${pid}`,
      `PROLIFIC_PID=${pid}&STUDY_ID=abc`,
      `PROLIFIC_PID=${pid}&SESSION_ID=x`,
    ]) {
      const res = await arrive({ study: id, query, from: '198.51.100.40' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/STUDY_ID and SESSION_ID/);
    }
    expect(await server.db.selectFrom('user').select('id').where('prolific_pid', '=', pid).execute()).toEqual([]);
    const ok = await arrive({
      study: id,
      query: `PROLIFIC_PID=${pid}&STUDY_ID=abc&SESSION_ID=x`,
      from: '198.51.100.40',
    });
    expect(ok.status).toBe(302);
    // A study that does not require them still lets a participant in without.
    expect((await arrive({ query: `PROLIFIC_PID=${newPid()}`, from: '198.51.100.41' })).status).toBe(302);
  });
});
