import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../schema/api/jobs.ts';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { claimJobById, renewJobLease } from '../../server/jobs/job.repository.ts';
import { openServices, type Services } from '../../server/services.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeScript, type FakeServer, type Hold } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { readSse } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { acceptedJob, waitForJob } from './job-fixtures.ts';

// Background jobs (issue 16 point 5), through the re-judge of a run: queued, run by the server's
// job runner with progress, cancelled cooperatively, and resumed from where it stopped when the
// process that ran it stops (a restart) or dies (its lease expires).

const LEASE_MS = 600;
let fake: FakeServer;
let server: TestServer;
let script: FakeScript = threeModels;
let runId: string;
let total: number;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: (req) => script(req) });
  server = await startTestServer({
    shippedCorpus: true,
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY, CRUCIBLE_JOB_LEASE_MS: String(LEASE_MS) },
  });
  // A run without a judge: its transcripts wait for the re-judges below.
  const res = await server.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({ name: 'to re-judge', settings: { models: ['complier'], filter: { scope: 'all' } } }),
  });
  runId = ((await res.json()) as { id: string }).id;
  const settled = await settledRun(runId);
  if (settled.status !== 'completed') throw new Error(`the run to re-judge ended ${settled.status}`);
  total = settled.progress.done;
}, budget(120_000));
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

/** Waits (a load-scaled budget) until the run is over (expect.poll is not for hooks). */
async function settledRun(id: string): Promise<RunSummary> {
  const until = Date.now() + budget(60_000);
  for (;;) {
    const run = (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
    if (run.status !== 'running' && run.status !== 'queued') return run;
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function newJudge(name: string): Promise<JudgeVersion> {
  const res = await server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({ name, reason: 'test', settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JudgeVersion;
}

/** Judge calls after the first `n` wait at the hold (target calls are not held: the run is over). */
function holdJudgeAfter(n: number): Hold {
  const hold = holdAfter(n);
  script = async (req) => {
    if (req.body?.model === 'judge') await hold.pass();
    return threeModels(req);
  };
  return hold;
}

const judgementsOf = async (judgeId: string) =>
  (
    await server.db.selectFrom('judgement').select('transcript_id').where('judge_version_id', '=', judgeId).execute()
  ).map((j) => j.transcript_id);

const startRejudge = async (judge: JudgeVersion) =>
  acceptedJob(
    await server.fetch(`/api/runs/${runId}/rejudge`, {
      method: 'POST',
      body: JSON.stringify({ judgeVersionId: judge.id }),
    }),
  );

describe('background jobs', () => {
  it('answers 202 at once and streams progress until the job is done', async () => {
    const judge = await newJudge('streamed');
    const hold = holdJudgeAfter(3);
    const { jobId, job } = await startRejudge(judge);
    expect(job).toMatchObject({ kind: 'rejudge-run', status: 'queued', params: { runId, judgeVersionId: judge.id } });
    const events = await server.fetch(`/api/jobs/${jobId}/events`);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const seen: Job[] = [];
    for await (const { event, data } of readSse(events)) {
      if (event === 'end') break;
      if (event !== 'job') continue;
      seen.push(JSON.parse(data) as Job);
      // The first answers are in: let the rest through.
      if (seen.at(-1)!.progress.done >= 3) hold.release();
    }
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ status: 'done', progress: { done: total, total }, attempts: 1 });
    expect(last.result).toEqual({ judgeVersionId: judge.id, scored: total, errors: 0, skipped: 0 });
    // Progress was shown on the way, not only at the end.
    expect(seen.some((j) => j.status === 'running' && j.progress.done > 0 && j.progress.done < total)).toBe(true);
    expect(new Set(await judgementsOf(judge.id)).size).toBe(total);
  });

  it('stops a cancelled job: no verdict is stored after the cancel', async () => {
    const judge = await newJudge('cancelled');
    const hold = holdJudgeAfter(5);
    const { jobId } = await startRejudge(judge);
    // Five verdicts stored, and the job's next calls stuck at the hold.
    await expect.poll(async () => (await judgementsOf(judge.id)).length, { timeout: budget(30_000) }).toBe(5);
    await expect.poll(() => hold.waiting, { timeout: budget(30_000) }).toBeGreaterThan(0);
    const cancel = await server.fetch(`/api/jobs/${jobId}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    const ended = await waitForJob(server, jobId);
    expect(ended).toMatchObject({ status: 'cancelled', cancelRequested: true, result: null });
    expect(server.services.jobs.heldJobs()).not.toContain(jobId);
    // The calls cut off by the cancel were abandoned: letting them through stores nothing more.
    hold.release();
    await expect.poll(() => hold.waiting).toBe(0);
    expect(await judgementsOf(judge.id)).toHaveLength(5);
    // Cancelling again changes nothing; an unknown job is a 404.
    expect(((await (await server.fetch(`/api/jobs/${jobId}/cancel`, { method: 'POST' })).json()) as Job).status).toBe(
      'cancelled',
    );
    expect(
      (await server.fetch(`/api/jobs/00000000-0000-4000-8000-000000000000/cancel`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('resumes after a restart: the stopped server gives the job back, the next one finishes it', async () => {
    const judge = await newJudge('restarted');
    const hold = holdJudgeAfter(10);
    const { jobId } = await startRejudge(judge);
    await expect.poll(async () => (await judgementsOf(judge.id)).length, { timeout: budget(30_000) }).toBe(10);
    await expect.poll(() => hold.waiting, { timeout: budget(30_000) }).toBeGreaterThan(0);
    // The server stops (its runner, as services.close does): the job goes back to the queue as it is.
    await server.services.jobs.stop();
    const stopped = (await (await server.fetch(`/api/jobs/${jobId}`)).json()) as Job;
    expect(stopped).toMatchObject({ status: 'queued', progress: { done: 10, total } });
    hold.release();
    // A new server process on the same database picks it up and goes on from the 11th transcript.
    const next = await openServices(
      server.services.config,
      { RUN_KEY, CRUCIBLE_JOB_LEASE_MS: String(LEASE_MS) },
      () => {},
    );
    try {
      const ended = await waitForJob(server, jobId);
      expect(ended).toMatchObject({ status: 'done', attempts: 2, progress: { done: total, total } });
      expect(ended.result).toMatchObject({ judgeVersionId: judge.id, scored: total, errors: 0, skipped: 0 });
      // Every transcript judged once: the ten before the restart were not judged again.
      const judged = await judgementsOf(judge.id);
      expect(judged).toHaveLength(total);
      expect(new Set(judged).size).toBe(total);
    } finally {
      await next.close();
      server.services.jobs.start();
    }
  });

  it('takes over a job whose runner died (its lease expired) and resumes it from the checkpoint', async () => {
    const judge = await newJudge('taken over');
    await server.services.jobs.stop(); // this server's runner is the one that "dies" below
    script = threeModels;
    const { jobId } = await startRejudge(judge);
    // A process that claims the job and dies at once: it never renews its lease.
    expect(await claimJobById(server.db, jobId, 'a-process-that-died', LEASE_MS)).toBe(true);
    const other: Services = await openServices(
      server.services.config,
      { RUN_KEY, CRUCIBLE_JOB_LEASE_MS: String(LEASE_MS) },
      () => {},
    );
    try {
      const ended = await waitForJob(server, jobId);
      expect(ended).toMatchObject({ status: 'done', attempts: 2, progress: { done: total, total } });
      expect(new Set(await judgementsOf(judge.id)).size).toBe(total);
      // The dead runner's late write is refused: the lease is not its own any more.
      expect(await renewJobLease(server.db, jobId, 'a-process-that-died', LEASE_MS)).toEqual({
        held: false,
        cancelRequested: false,
      });
    } finally {
      await other.close();
      server.services.jobs.start();
    }
  });
});

describe('GET /api/jobs (the studio’s jobs panel)', () => {
  it('lists the jobs newest first, each with who started it, and filters by kind and status', async () => {
    const author = await server.signIn('author', { name: 'Ada Author' });
    script = threeModels;
    // One job started by the author and run to its end, then one by the admin, cancelled while queued.
    const byAuthor = await acceptedJob(
      await author.fetch(`/api/runs/${runId}/rejudge`, {
        method: 'POST',
        body: JSON.stringify({ judgeVersionId: (await newJudge('listed')).id }),
      }),
    );
    await waitForJob(server, byAuthor.jobId);
    await server.services.jobs.stop(); // nothing takes the admin's job up before its cancel
    try {
      const byAdmin = await startRejudge(await newJudge('listed, cancelled'));
      expect((await (await server.fetch(`/api/jobs/${byAdmin.jobId}/cancel`, { method: 'POST' })).json()).status).toBe(
        'cancelled',
      );
      const { jobs } = (await (await author.fetch('/api/jobs')).json()) as { jobs: Job[] };
      expect(jobs.slice(0, 2)).toMatchObject([
        {
          id: byAdmin.jobId,
          status: 'cancelled',
          startedBy: server.admin.user.id,
          startedByName: server.admin.user.name,
        },
        {
          id: byAuthor.jobId,
          kind: 'rejudge-run',
          status: 'done',
          startedBy: author.user.id,
          startedByName: 'Ada Author',
        },
      ]);
      expect(jobs.map((j) => j.createdAt)).toEqual(
        jobs
          .map((j) => j.createdAt)
          .sort()
          .reverse(),
      );
      // The author's job last changed when it ended.
      expect(jobs[1]!.updatedAt).toBe(jobs[1]!.finishedAt);
      expect(((await (await author.fetch(`/api/jobs/${byAuthor.jobId}`)).json()) as Job).startedByName).toBe(
        'Ada Author',
      );
      const cancelled = (await (await author.fetch('/api/jobs?status=cancelled')).json()) as { jobs: Job[] };
      expect(cancelled.jobs.map((j) => j.id)).toContain(byAdmin.jobId);
      expect(cancelled.jobs.every((j) => j.status === 'cancelled')).toBe(true);
      const rejudges = (await (await author.fetch('/api/jobs?kind=rejudge-run')).json()) as { jobs: Job[] };
      expect(rejudges.jobs.map((j) => j.id)).toEqual(expect.arrayContaining([byAdmin.jobId, byAuthor.jobId]));
      expect(
        ((await (await author.fetch('/api/jobs?kind=generate-scenarios')).json()) as { jobs: Job[] }).jobs,
      ).toEqual([]);
    } finally {
      server.services.jobs.start();
    }
  });

  it('is for admins and authors only: a rater gets 403 on every jobs endpoint and cancels nothing', async () => {
    const judge = await newJudge('guarded');
    const hold = holdJudgeAfter(1);
    const { jobId } = await startRejudge(judge);
    await expect.poll(() => hold.waiting, { timeout: budget(30_000) }).toBeGreaterThan(0);
    const rater = await server.signIn('rater');
    for (const [method, path] of [
      ['GET', '/api/jobs'],
      ['GET', `/api/jobs/${jobId}`],
      ['GET', `/api/jobs/${jobId}/events`],
      ['POST', `/api/jobs/${jobId}/cancel`],
    ] as const) {
      const res = await rater.fetch(path, { method });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      // Signed out: 401.
      expect((await fetch(`${server.url}${path}`, { method })).status, `${method} ${path} signed out`).toBe(401);
    }
    const still = (await (await server.fetch(`/api/jobs/${jobId}`)).json()) as Job;
    expect(still).toMatchObject({ status: 'running', cancelRequested: false });
    hold.release();
    expect((await waitForJob(server, jobId)).status).toBe('done');
  });
});
