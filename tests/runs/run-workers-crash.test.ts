import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from './run-fixtures.ts';

// Issue 16 point 4: a run split over two `crucible worker` processes (the server leaves its items
// to workers), one killed with SIGKILL mid run while it holds items. Its items come back when
// their leases expire and the other worker runs them: every item ends done exactly once, with
// exactly one transcript, none missing. Runs on SQLite and (the postgres project) PostgreSQL.

// Renewed every third of it: a worker that stalls past a lease on a loaded machine loses an item
// it is still running (and takes another), so the lease scales with the machine's load.
const LEASE_MS = budget(1500);
/** Target calls after the first 60 wait here until the kill: both workers are then stuck mid run. */
const hold = holdAfter(60);
let fake: FakeServer;
let server: TestServer;
const workers: ChildProcess[] = [];

function startWorker(concurrency: number): { child: ChildProcess; owner: Promise<string>; log: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli/crucible.ts', 'worker', '--concurrency', String(concurrency)],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        RUN_KEY,
        CRUCIBLE_DB: server.services.config.databasePath,
        CRUCIBLE_SCENARIOS: server.scenariosDir,
        CRUCIBLE_MODELS: join(server.dir, 'models.yaml'),
        CRUCIBLE_SECRETS: join(server.dir, 'none.env'),
        CRUCIBLE_RUN_LEASE_MS: String(LEASE_MS),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  workers.push(child);
  let log = '';
  const owner = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /^worker ([0-9a-f-]{36}):/m.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${log}`)));
  });
  owner.catch(() => undefined);
  return { child, owner, log: () => log };
}

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req) => {
      await hold.pass();
      return threeModels(req);
    },
  });
  server = await startTestServer({
    shippedCorpus: true,
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY, CRUCIBLE_RUN_ITEMS: 'workers' },
  });
});
afterAll(async () => {
  hold.release();
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await server?.close();
  await fake?.close();
});

describe('a run split over two workers, one killed mid run', () => {
  it(
    'completes every item exactly once: the killed worker’s items come back after their lease',
    async () => {
      const a = startWorker(4);
      const b = startWorker(4);
      const [ownerA, ownerB] = await Promise.all([a.owner, b.owner]);
      const res = await server.fetch('/api/runs', {
        method: 'POST',
        body: JSON.stringify({
          name: 'split over workers',
          settings: { models: ['complier', 'refuser'], filter: { scope: 'all' } },
        }),
      });
      expect(res.status).toBe(201);
      const { id: runId, items: total } = (await res.json()) as { id: string; items: number };
      // The server runs nothing itself: every item in flight is a worker's.
      expect(server.services.runs.isRunning(runId)).toBe(false);

      // Both workers stuck at the hold with every slot full.
      await expect.poll(() => hold.waiting, { timeout: budget(60_000), interval: 50 }).toBeGreaterThanOrEqual(8);
      const heldBy = async (owner: string) =>
        (
          await server.db
            .selectFrom('run_item')
            .select('id')
            .where('run_id', '=', runId)
            .where('status', '=', 'running')
            .where('lease_owner', '=', owner)
            .execute()
        ).map((r) => r.id);
      // Each worker holds its four: a lease lost to a stall and taken again shows briefly as three.
      await expect
        .poll(async () => (await heldBy(ownerA)).length, { timeout: budget(10_000), interval: 50 })
        .toBeGreaterThanOrEqual(4);
      await expect
        .poll(async () => (await heldBy(ownerB)).length, { timeout: budget(10_000), interval: 50 })
        .toBeGreaterThanOrEqual(4);
      const heldByA = await heldBy(ownerA);
      const doneBefore = await server.db
        .selectFrom('run_item')
        .select('id')
        .where('run_id', '=', runId)
        .where('status', '=', 'done')
        .execute();
      expect(doneBefore.length).toBeGreaterThan(0);
      expect(doneBefore.length).toBeLessThan(total);

      a.child.kill('SIGKILL');
      await once(a.child, 'exit');
      hold.release();

      let run: RunSummary | undefined;
      await expect
        .poll(
          async () => {
            run = (await (await server.fetch(`/api/runs/${runId}`)).json()) as RunSummary;
            return run.status;
          },
          { timeout: budget(90_000), interval: 100 },
        )
        .toBe('completed');
      expect(run!.progress).toMatchObject({ total, done: total, failed: 0 });

      const items = await server.db
        .selectFrom('run_item')
        .select(['id', 'status', 'dry_run_id', 'lease_owner'])
        .where('run_id', '=', runId)
        .execute();
      expect(items.filter((i) => i.status === 'done')).toHaveLength(total);
      expect(items.every((i) => i.lease_owner === null)).toBe(true);
      // Exactly one transcript per item: none missing, none twice (a lost lease's result is never written).
      const transcripts = await server.db.selectFrom('dry_run').select('id').where('run_id', '=', runId).execute();
      expect(transcripts).toHaveLength(total);
      expect(new Set(items.map((i) => i.dry_run_id)).size).toBe(total);
      expect(new Set(transcripts.map((t) => t.id))).toEqual(new Set(items.map((i) => i.dry_run_id)));
      // The killed worker's items were finished by the other one.
      const aItems = items.filter((i) => heldByA.includes(i.id));
      expect(aItems.map((i) => i.status)).toEqual(heldByA.map(() => 'done'));

      b.child.kill('SIGTERM');
      const [code] = (await once(b.child, 'exit')) as [number | null];
      expect(code, b.log()).toBe(0);
    },
    budget(180_000),
  );
});
