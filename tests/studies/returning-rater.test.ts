import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InviteInfo } from '../../schema/api/auth.ts';
import type { MyRaterStudies } from '../../schema/api/rater-home.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRealismStudy, rateNext, raterViaInvite } from './study-fixtures.ts';

// A rater who opens their invite link again is the same person: same account, no place used.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterAll(() => server.close());

async function invite(studyId: string, maxUses: number): Promise<string> {
  const res = await server.fetch('/api/admin/invites', {
    method: 'POST',
    body: JSON.stringify({ role: 'rater', studyId, maxUses }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** The invite link as the browser holding `cookie` sees it (no cookie: a new browser). */
const openLink = (token: string, cookie?: string) =>
  fetch(`${server.url}/api/auth/invites/${token}`, { headers: cookie ? { cookie } : {} });
const acceptLink = (token: string, name: string, cookie?: string) =>
  fetch(`${server.url}/api/auth/invites/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ name }),
  });
const usesOf = async (studyId: string) =>
  (await server.db.selectFrom('invite').select('uses').where('study_id', '=', studyId).executeTakeFirstOrThrow()).uses;
const raterCount = async () =>
  Number(
    (
      await server.db
        .selectFrom('user')
        .select(server.db.fn.countAll<number>().as('n'))
        .where('role', '=', 'rater')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('GET and POST /api/auth/invites/:token for a rater who comes back', () => {
  it('recognises the rater who joined, even once the link is used up, and makes no second account', async () => {
    const studyId = await createRealismStudy(server, { name: 'Returning', filter: { behavior: 'sycophancy' } });
    const token = await invite(studyId, 1);
    const first = await acceptLink(token, 'Ada');
    expect(first.status).toBe(201);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const { me } = (await first.json()) as { me: { id: string } };
    expect(await usesOf(studyId)).toBe(1);
    const raters = await raterCount();

    // The used-up link, in Ada's browser: she joined; in a new browser: used up.
    const again = await openLink(token, cookie);
    expect(again.status).toBe(200);
    expect((await again.json()) as InviteInfo).toMatchObject({ joined: true, studyId, role: 'rater' });
    expect((await openLink(token)).status).toBe(404);

    // Joining again from her browser (a second tab with the old form) gives her the same account.
    const second = await acceptLink(token, 'Ada again', cookie);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { me: { id: string }; studyId: string }).me.id).toBe(me.id);
    expect(await usesOf(studyId)).toBe(1);
    expect(await raterCount()).toBe(raters);
  });

  it('joins a signed-in rater to a second study with the account they have, using one place', async () => {
    const firstStudy = await createRealismStudy(server, { name: 'First', filter: { behavior: 'sycophancy' } });
    const secondStudy = await createRealismStudy(server, { name: 'Second', filter: { behavior: 'consistency' } });
    const ada = await raterViaInvite(server, firstStudy, 'Ada');
    const token = await invite(secondStudy, 5);
    const raters = await raterCount();

    const info = (await (await openLink(token, ada.cookie)).json()) as InviteInfo;
    expect(info).toMatchObject({ joined: false, signedInAs: { name: 'Ada', pseudonym: ada.user.pseudonym } });
    const res = await acceptLink(token, 'Ada', ada.cookie);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { me: { id: string } }).me.id).toBe(ada.user.id);
    expect(await usesOf(secondStudy)).toBe(1);
    expect(await raterCount()).toBe(raters);
    expect((await ada.fetch(`/api/rate/studies/${secondStudy}/next`)).status).toBe(200);
  });

  it('still makes a new rater for a browser nobody is signed in on', async () => {
    const studyId = await createRealismStudy(server, { name: 'Fresh', filter: { behavior: 'sycophancy' } });
    const token = await invite(studyId, 2);
    const raters = await raterCount();
    const info = (await (await openLink(token)).json()) as InviteInfo;
    expect(info).toMatchObject({ joined: false, signedInAs: null });
    expect((await acceptLink(token, 'Bo')).status).toBe(201);
    expect(await raterCount()).toBe(raters + 1);
  });
});

describe('GET /api/rate/mine', () => {
  it("lists the rater's studies, newest first, with their progress", async () => {
    const older = await createRealismStudy(server, {
      name: 'Older',
      filter: { behavior: 'sycophancy' },
      batchSize: 10,
    });
    const newer = await createRealismStudy(server, { name: 'Newer', filter: { behavior: 'consistency' } });
    const ada = await raterViaInvite(server, older, 'Ada');
    const token = await invite(newer, 1);
    expect((await acceptLink(token, 'Ada', ada.cookie)).status).toBe(201);
    await rateNext(server, ada, older, 4);

    const res = await ada.fetch('/api/rate/mine');
    expect(res.status).toBe(200);
    const { studies } = (await res.json()) as MyRaterStudies;
    const items = async (id: string) =>
      Number(
        (
          await server.db
            .selectFrom('study_item')
            .select(server.db.fn.countAll<number>().as('n'))
            .where('study_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(studies.map((s) => s.id)).toEqual([newer, older]);
    expect(studies[1]).toMatchObject({ kind: 'realism', name: 'Older', status: 'open', done: 1 });
    // A rater who came by invite may rate every scenario (only crowd participants have a batch).
    expect(studies[1]!.total).toBe(await items(older));
    expect(studies[0]).toMatchObject({ name: 'Newer', done: 0 });

    const other = await server.signIn('rater');
    expect(((await (await other.fetch('/api/rate/mine')).json()) as MyRaterStudies).studies).toEqual([]);
    expect((await fetch(`${server.url}/api/rate/mine`)).status).toBe(401);
  });
});
