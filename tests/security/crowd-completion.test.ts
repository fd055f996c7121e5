import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RaterStudy, StudyResults } from '../../schema/api/studies.ts';
import { createRealismStudy, nextTask, rateNext } from '../studies/study-fixtures.ts';
import { startTestServer, type TestServer, type TestSession } from '../support/test-server.ts';

// A crowd participant earns the completion code by rating the batch; skipping is bounded by the
// study, and skipping everything earns nothing.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterAll(() => server.close());

let pids = 0;
/** A Prolific participant arriving through the study URL, signed in as the platform sends them. */
async function participant(studyId: string): Promise<TestSession> {
  const pid = `5f1a2b3c4d5e6f7a8b9c${String(++pids).padStart(4, '0')}`;
  const res = await fetch(`${server.url}/api/rate/prolific/${studyId}?PROLIFIC_PID=${pid}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const me = (await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json()) as {
    id: string;
    csrfToken: string;
  };
  return {
    user: { id: me.id, role: 'rater', pseudonym: '', name: '' },
    cookie,
    csrf: me.csrfToken,
    fetch: (path, init = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
      }),
  };
}

const skip = (who: TestSession, studyId: string, leaseId: string) =>
  who.fetch(`/api/rate/studies/${studyId}/skip`, { method: 'POST', body: JSON.stringify({ leaseId }) });

describe('the crowd completion code', () => {
  it('is not given to a participant who skips every task', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' }, batchSize: 2, maxSkips: 10 });
    const who = await participant(id);
    for (;;) {
      const task = await nextTask(who, id);
      if (task.kind === 'done') {
        expect(task.reason).toBe('no-more-tasks');
        expect(task.completion).toBeNull();
        break;
      }
      expect((await skip(who, id, task.leaseId)).status).toBe(200);
    }
  });

  it('is not given to a participant who rated part of the batch when the tasks run out', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' }, batchSize: 5 });
    const who = await participant(id);
    // Every sycophancy scenario of the shipped corpus (fewer than the batch of 5), rated.
    const items = await server.db.selectFrom('study_item').select('scenario_id').where('study_id', '=', id).execute();
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(5);
    for (let i = 0; i < items.length; i++) await rateNext(server, who, id, 4 - (i % 2));
    expect(await nextTask(who, id)).toMatchObject({ kind: 'done', reason: 'no-more-tasks', completion: null });
  });

  it('is given once the batch is rated, skips along the way allowed', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'privacy-protection' }, batchSize: 2 });
    const who = await participant(id);
    const first = await nextTask(who, id);
    if (first.kind !== 'task') throw new Error('no task');
    expect((await skip(who, id, first.leaseId)).status).toBe(200);
    await rateNext(server, who, id, 4);
    await rateNext(server, who, id, 2);
    const done = await nextTask(who, id);
    expect(done).toMatchObject({ kind: 'done', reason: 'batch-complete' });
    if (done.kind === 'done') expect(done.completion?.code).toMatch(/^[0-9A-F]{10}$/);
  });
});

describe('skips of a crowd participant', () => {
  it('are bounded by the study: the next skip is refused with a clear message and the task stays', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'privacy-protection' }, maxSkips: 1 });
    const who = await participant(id);
    const first = await nextTask(who, id);
    if (first.kind !== 'task') throw new Error('no task');
    expect(first.skipsLeft).toBe(1);
    expect((await skip(who, id, first.leaseId)).status).toBe(200);
    const second = await nextTask(who, id);
    if (second.kind !== 'task') throw new Error('no task');
    expect(second.skipsLeft).toBe(0);
    const refused = await skip(who, id, second.leaseId);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /allows 1 skip and you have used them/,
    );
    expect(await nextTask(who, id)).toMatchObject({ kind: 'task', leaseId: second.leaseId });
  });

  it('cannot pass the bound with parallel skips', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'privacy-protection' }, maxSkips: 1 });
    const who = await participant(id);
    const task = await nextTask(who, id);
    if (task.kind !== 'task') throw new Error('no task');
    await Promise.all([1, 2, 3].map(() => skip(who, id, task.leaseId)));
    const skips = await server.db.selectFrom('rating_skip').select('rater_id').where('study_id', '=', id).execute();
    expect(skips).toHaveLength(1);
  });

  it('are not bounded for raters invited by link (no completion code at stake)', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'privacy-protection' }, maxSkips: 0 });
    const invited = await server.signIn('rater');
    await server.db
      .insertInto('study_rater')
      .values({ study_id: id, rater_id: invited.user.id, joined_at: '' })
      .execute();
    const task = await nextTask(invited, id);
    if (task.kind !== 'task') throw new Error('no task');
    expect(task.skipsLeft).toBeNull();
    expect((await skip(invited, id, task.leaseId)).status).toBe(200);
  });
});

describe('what counts as complete', () => {
  it('is a study setting with defaults, shown to the admin and to the participant', async () => {
    const id = await createRealismStudy(server, { filter: { behavior: 'sycophancy' }, batchSize: 2 });
    const { study } = (await (await server.fetch(`/api/studies/${id}/results`)).json()) as StudyResults;
    expect(study).toMatchObject({ batchSize: 2, maxSkips: 5, requirePlatformIds: false });
    const who = await participant(id);
    const seen = (await (await who.fetch(`/api/rate/studies/${id}`)).json()) as RaterStudy;
    expect(seen.crowd).toEqual({ ratingsRequired: 2, skipsAllowed: 5 });
    const invited = await server.signIn('rater');
    await server.db
      .insertInto('study_rater')
      .values({ study_id: id, rater_id: invited.user.id, joined_at: '' })
      .execute();
    expect(((await (await invited.fetch(`/api/rate/studies/${id}`)).json()) as RaterStudy).crowd).toBeNull();
  });
});
