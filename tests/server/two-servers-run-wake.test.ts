import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { RunExecutor } from '../../server/runs/run.executor.ts';
import { RunWorker } from '../../server/runs/run-worker.ts';
import { openServices, type Services } from '../../server/services.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';

// Issue 16: a run worker used to find a new run only at its next look (every 250 ms), which a
// 14-second benchmark run pays at its start. On PostgreSQL a server's start of a run now reaches
// every process by NOTIFY, and a worker looks at once. This worker looks only every ten minutes on
// its own, so the run completes within the test's budget only if the announcement woke it.
// PostgreSQL only (vite.config.ts: two-servers-*): on SQLite nothing crosses processes.

let fake: FakeServer;
let server: TestServer;
let workerServices: Services;
let worker: RunWorker;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: threeModels });
  server = await startTestServer({
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY, CRUCIBLE_RUN_ITEMS: 'workers' },
    files: { 'honesty/wake-a.yaml': validScenarioText('wake-a') },
  });
  // A second process's services on the same database, as `crucible worker` opens them.
  workerServices = await openServices(server.services.config, { RUN_KEY }, () => {});
  const executor = new RunExecutor(workerServices.db, workerServices.corpus, workerServices.models, {
    role: 'worker',
    limits: { concurrency: 4, perProvider: () => 4 },
  });
  worker = new RunWorker(workerServices.db, executor, {
    pollMs: 600_000,
    startedRuns: workerServices.runs.events,
  });
  worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await workerServices?.close();
  await server?.close();
  await fake?.close();
});

describe('a run worker on PostgreSQL', () => {
  it('starts on a run as soon as a server starts it, not at its next look', async () => {
    // Its first look (at start, before this request) found nothing; the next is ten minutes away.
    const res = await server.fetch('/api/runs', {
      method: 'POST',
      body: JSON.stringify({ name: 'wake', settings: { models: ['complier'], filter: { scope: 'all' } } }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(server.services.runs.isRunning(id)).toBe(false); // the server leaves its items to workers
    let run: RunSummary | undefined;
    await expect
      .poll(
        async () => {
          run = (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
          return run.status;
        },
        { timeout: budget(30_000), interval: 50 },
      )
      .toBe('completed');
    expect(run!.progress.done).toBe(run!.progress.total);
  });
});
