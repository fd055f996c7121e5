import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../schema/api/jobs.ts';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeServer, type Hold } from '../fakes/fake-script.ts';
import { acceptedJob } from '../jobs/job-fixtures.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startStudio, type Studio } from './support/studio.ts';

// Studio -> Jobs (issue 16 point 5): the background jobs with their kind, status, progress, times and
// who started them. A re-judge of a run against a judge whose answers wait at a hold is a long job:
// the page shows its progress live as verdicts come in, Cancel stops it, and it stays cancelled
// after a reload.

let fake: FakeServer;
let studio: Studio;
/** Judge calls past the first wait here until the test lets them through. */
const judgeHold: Hold = holdAfter(1);

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req) => {
      if (req.body?.model === 'judge') await judgeHold.pass();
      return threeModels(req);
    },
  });
  studio = await startStudio({ models: threeModelsYaml(fake.url), env: { RUN_KEY } });
});
afterAll(async () => {
  judgeHold.release();
  await studio?.close();
  await fake?.close();
});

/** A finished run of one model over the honesty scenarios, made before any judge (so not judged yet). */
async function unjudgedRun(): Promise<{ id: string; transcripts: number }> {
  const res = await studio.server.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'to re-judge',
      settings: { models: ['complier'], filter: { scope: 'all', category: 'honesty' } },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  let run: RunSummary | undefined;
  await expect
    .poll(
      async () => {
        run = (await (await studio.server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
        return run.status;
      },
      { timeout: budget(60_000), interval: 100 },
    )
    .toBe('completed');
  return { id, transcripts: run!.progress.done };
}

describe('Studio -> Jobs', () => {
  it('shows a long job’s live progress, cancels it, and it stays cancelled after a reload', async () => {
    const { page } = await studio.openPage('/studio/jobs');
    await expect.poll(() => page.getByTestId('jobs-empty').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('jobs-empty').textContent()).toContain('No background jobs yet');

    const run = await unjudgedRun();
    expect(run.transcripts).toBeGreaterThan(3);
    const judgeRes = await studio.server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'slow judge',
        reason: 'browser test',
        settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    });
    expect(judgeRes.status).toBe(201);
    const judge = (await judgeRes.json()) as JudgeVersion;
    const { jobId } = await acceptedJob(
      await studio.server.fetch(`/api/runs/${run.id}/rejudge`, {
        method: 'POST',
        body: JSON.stringify({ judgeVersionId: judge.id }),
      }),
    );

    // The list refreshes by itself; a job started elsewhere appears without a reload.
    const row = page.locator(`[data-testid="job-row"][data-id="${jobId}"]`);
    await row.waitFor({ timeout: budget(20_000) });
    expect(await row.getByTestId('job-kind').textContent()).toBe('Re-judge a run');
    expect(await row.getByTestId('job-started-by').textContent()).toBe(studio.server.admin.user.name);
    const progress = row.getByTestId('job-progress');
    await expect
      .poll(() => progress.textContent(), { timeout: budget(20_000) })
      .toMatch(new RegExp(`^1 of ${run.transcripts} · 1 scored`));
    expect(await row.getByTestId('job-status').textContent()).toBe('running');

    // Two more verdicts: the page follows them over the job's event stream, no reload. (The list is
    // not read again from here on, so nothing else can bring the change.)
    const listPath = (url: URL) => url.pathname === '/api/jobs';
    await page.route(listPath, (route) => route.abort());
    judgeHold.allow(2);
    await expect
      .poll(() => progress.textContent(), { timeout: budget(20_000) })
      .toMatch(new RegExp(`^3 of ${run.transcripts} · 3 scored`));

    await row.getByTestId('job-cancel').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: budget(20_000) }).toBe('cancelled');
    expect(await row.getByTestId('job-status').textContent()).toBe('cancelled');
    expect(await row.getByTestId('job-cancel').count()).toBe(0);

    // The held verdict calls were abandoned with the job: letting them through changes nothing.
    judgeHold.release();
    await page.unroute(listPath);
    await page.reload();
    const again = page.locator(`[data-testid="job-row"][data-id="${jobId}"]`);
    await again.waitFor();
    expect(await again.getAttribute('data-status')).toBe('cancelled');
    expect(await again.getByTestId('job-progress').textContent()).toMatch(new RegExp(`^3 of ${run.transcripts}`));
    expect(await again.getByTestId('job-cancel').count()).toBe(0);
    const stored = (await (await studio.server.fetch(`/api/jobs/${jobId}`)).json()) as Job;
    expect(stored).toMatchObject({ status: 'cancelled', cancelRequested: true, progress: { done: 3 } });
  });
});
