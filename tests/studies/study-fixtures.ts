import type { NextTaskResponse } from '../../schema/api/studies.ts';
import type { TestServer, TestSession } from '../support/test-server.ts';

/** Creates a realism study as the admin; returns its id. */
export async function createRealismStudy(server: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await server.fetch('/api/studies', {
    method: 'POST',
    body: JSON.stringify({ name: 'Realism pilot', ...body }),
  });
  if (res.status !== 201) throw new Error(`study not created: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** A rater who joined the study through an invite link, as a real rater would. */
export async function raterViaInvite(server: TestServer, studyId: string, name = 'Rater'): Promise<TestSession> {
  const invite = (await (
    await server.fetch('/api/admin/invites', {
      method: 'POST',
      body: JSON.stringify({ role: 'rater', studyId, maxUses: 1 }),
    })
  ).json()) as { token: string };
  const res = await server.fetch(`/api/auth/invites/${invite.token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`invite not accepted: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { me } = (await res.json()) as { me: { id: string; pseudonym: string; name: string; csrfToken: string } };
  return {
    user: { id: me.id, role: 'rater', pseudonym: me.pseudonym, name: me.name },
    cookie,
    csrf: me.csrfToken,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      headers.set('x-csrf-token', me.csrfToken);
      if (init.body !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${server.url}${path}`, { ...init, headers });
    },
  };
}

export async function nextTask(rater: TestSession, studyId: string): Promise<NextTaskResponse> {
  const res = await rater.fetch(`/api/rate/studies/${studyId}/next`);
  if (res.status !== 200) throw new Error(`next failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as NextTaskResponse;
}

export async function rate(rater: TestSession, studyId: string, body: Record<string, unknown>): Promise<Response> {
  return rater.fetch(`/api/rate/studies/${studyId}/ratings`, { method: 'POST', body: JSON.stringify(body) });
}

/** Takes the next task and rates it; returns the scenario id rated (from the lease). */
export async function rateNext(
  server: TestServer,
  rater: TestSession,
  studyId: string,
  realism: number,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const task = await nextTask(rater, studyId);
  if (task.kind !== 'task') throw new Error(`no task: ${task.reason}`);
  const res = await rate(rater, studyId, { leaseId: task.leaseId, realism, ...extra });
  if (res.status !== 201) throw new Error(`rating failed: ${res.status} ${await res.text()}`);
  const row = await server.db
    .selectFrom('realism_rating')
    .select('scenario_id')
    .where('id', '=', task.leaseId)
    .executeTakeFirstOrThrow();
  return row.scenario_id;
}
