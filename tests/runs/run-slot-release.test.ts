import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '../../server/runs/run.repository.ts';
import { RunExecutor } from '../../server/runs/run.executor.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from './run-fixtures.ts';

// Issue 16 / issue 20: an item's slot used to be held until its outcome was committed, so every
// item waited for the group commit (and, with several workers on one SQLite file, for the write
// lock) before the next one could call the provider. The slot is now given back once the item's
// model calls are over. Here the commit waits 1.5 s and the run has one slot: the second item's
// first call must reach the provider while the first item is still uncommitted.

const COMMIT_DELAY_MS = 1500;
let fake: FakeServer;
let server: TestServer;
/** How many items were done in the database when each target call arrived. */
const doneAtCall: number[] = [];
let runId = '';

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req) => {
      if (req.body?.model !== 'judge' && runId) {
        const done = await server.db
          .selectFrom('run_item')
          .select('id')
          .where('run_id', '=', runId)
          .where('status', '=', 'done')
          .execute();
        doneAtCall.push(done.length);
      }
      return threeModels(req);
    },
  });
  server = await startTestServer({
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
    files: {
      'honesty/slot-a.yaml': validScenarioText('slot-a'),
      'honesty/slot-b.yaml': validScenarioText('slot-b'),
    },
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('a run item’s slot', () => {
  it(
    'is given back when its model calls are over, before its commit',
    async () => {
      const executor = new RunExecutor(server.services.db, server.services.corpus, server.services.models, {
        commitDelayMs: COMMIT_DELAY_MS,
      });
      const created = await createRun(
        server.services.db,
        server.services.corpus,
        {
          name: 'one slot',
          settings: {
            models: ['complier'],
            filter: { scope: 'all' },
            concurrency: 1,
            perProviderConcurrency: 1,
          },
        },
        null,
      );
      if (!created.ok) throw new Error(created.message);
      expect(created.items).toBe(2);
      runId = created.id;
      const handle = await executor.start(runId);
      await handle.done;
      const items = await server.db.selectFrom('run_item').select('status').where('run_id', '=', runId).execute();
      expect(items.map((i) => i.status)).toEqual(['done', 'done']);
      // Every target call of both items arrived before the first commit (1.5 s after the first item's
      // last call): the second item did not wait for it.
      expect(doneAtCall.length).toBeGreaterThanOrEqual(2);
      expect(doneAtCall.every((n) => n === 0)).toBe(true);
    },
    budget(60_000),
  );
});
