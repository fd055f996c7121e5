import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAhead, RunExecutor } from '../../server/runs/run.executor.ts';
import { createRun } from '../../server/runs/run.repository.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from './run-fixtures.ts';

// Issue 16: a process claims a few items beyond its free slots (claim-ahead), so a freed slot starts
// the next item at once and claims, each a write transaction, come once every few items. What it
// may not do is hoard: it holds its slots and claimAhead(concurrency) more, the rest stays
// claimable by other processes, and what it claimed but never started goes back to the queue when
// it stops. Every target call waits at the fake until released, so the counts below are taken
// with every slot full.

const ITEMS = 30;
const hold = holdAfter(0);
let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req) => {
      if (req.body?.model !== 'judge') await hold.pass();
      return threeModels(req);
    },
  });
  const files: Record<string, string> = {};
  for (let i = 0; i < ITEMS; i++) {
    const id = `claim-ahead-${String(i).padStart(2, '0')}`;
    files[`honesty/${id}.yaml`] = validScenarioText(id);
  }
  server = await startTestServer({ models: threeModelsYaml(fake.url), env: { RUN_KEY }, files });
});
afterAll(async () => {
  hold.release();
  await server?.close();
  await fake?.close();
});

describe('claiming run items ahead', () => {
  it(
    'holds the free slots and claimAhead more, leaves the rest to other processes, and gives back what it did not start',
    async () => {
      const { db, corpus, models } = server.services;
      const created = await createRun(
        db,
        corpus,
        {
          name: 'claim ahead',
          settings: { models: ['complier'], filter: { scope: 'all' }, concurrency: 8, perProviderConcurrency: 8 },
        },
        null,
      );
      if (!created.ok) throw new Error(created.message);
      expect(created.items).toBe(ITEMS);
      const runId = created.id;
      const itemsOf = (owner: string | null) =>
        db
          .selectFrom('run_item')
          .select(['id', 'status'])
          .where('run_id', '=', runId)
          .where('lease_owner', owner === null ? 'is' : '=', owner)
          .execute();

      // A server's executor at concurrency 8: its 8 slots full, 2 more (a quarter of 8) claimed.
      const server8 = new RunExecutor(db, corpus, models);
      const run8 = await server8.start(runId);
      await expect.poll(() => hold.waiting, { timeout: budget(30_000), interval: 20 }).toBe(8);
      const held8 = await itemsOf(server8.owner);
      expect(claimAhead(8)).toBe(2);
      expect(held8.length).toBe(8 + claimAhead(8));
      expect(held8.every((i) => i.status === 'running')).toBe(true);
      expect((await itemsOf(null)).length).toBe(ITEMS - held8.length);

      // A worker at concurrency 4 finds the rest claimable and takes its own 4 + 1.
      const worker4 = new RunExecutor(db, corpus, models, {
        role: 'worker',
        limits: { concurrency: 4, perProvider: () => 4 },
      });
      const run4 = await worker4.start(runId);
      await expect.poll(() => hold.waiting, { timeout: budget(30_000), interval: 20 }).toBe(12);
      const held4 = await itemsOf(worker4.owner);
      expect(held4.length).toBe(4 + claimAhead(4));
      expect(held4.some((i) => held8.some((j) => j.id === i.id))).toBe(false);
      expect((await itemsOf(null)).length).toBe(ITEMS - held8.length - held4.length);

      // Stopped mid run, the worker gives back its items in flight and the one it claimed ahead.
      run4.stop();
      await run4.done;
      expect(await itemsOf(worker4.owner)).toEqual([]);
      const free = await itemsOf(null);
      expect(free.length).toBe(ITEMS - held8.length);
      expect(free.every((i) => i.status === 'pending')).toBe(true);

      // Released, the server's executor runs the whole run, each item once.
      hold.release();
      await run8.done;
      const items = await db
        .selectFrom('run_item')
        .select(['status', 'dry_run_id'])
        .where('run_id', '=', runId)
        .execute();
      expect(items.filter((i) => i.status === 'done').length).toBe(ITEMS);
      const transcripts = await db.selectFrom('dry_run').select('id').where('run_id', '=', runId).execute();
      expect(transcripts.length).toBe(ITEMS);
      expect(new Set(items.map((i) => i.dry_run_id)).size).toBe(ITEMS);
    },
    budget(90_000),
  );
});
