import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioChangeEvent } from '../../schema/api/scenarios.ts';
import type { RunProgress } from '../../schema/api/runs.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { collectEvents, fetchAs, startSecondServer, type CollectedStream } from './second-server.ts';

// Issue 16 point 3: live events reach the studio pages of every server process on one PostgreSQL
// database (LISTEN/NOTIFY, server/live-events.ts). Server A is the test server, which does not
// watch the scenarios folder (as a process on another machine sharing a network folder: inotify
// does not see other machines' writes); server B is a second process, started as `npm start`
// starts it, which watches the folder and runs the runs it starts. Everything A's event streams
// say about B's work can only have come through the database's notifications: without the relay
// these streams hear nothing (checked by running this file with relayLiveEvents not called).

const ITEMS = 4;
const ids = Array.from({ length: ITEMS }, (_, i) => `live-relay-${i}`);
/** Every target call waits here until the test has A's stream open. */
const hold = holdAfter(0);
let fake: FakeServer;
let a: TestServer;
let b: ServerProcess;
const streams: CollectedStream[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req) => {
      await hold.pass();
      return threeModels(req);
    },
  });
  a = await startTestServer({
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
    files: Object.fromEntries(ids.map((id) => [`honesty/${id}.yaml`, validScenarioText(id)])),
  });
  b = await startSecondServer(a, { RUN_KEY });
});
afterAll(async () => {
  hold.release();
  for (const s of streams) s.close();
  b?.child.kill('SIGKILL');
  await a?.close();
  await fake?.close();
});

const open = async (path: string) => {
  const s = await collectEvents(a.fetch, path);
  streams.push(s);
  return s;
};

describe.runIf(testBackend === 'postgres')('live events across two server processes', () => {
  it("a run started and run by process B: its progress and its end reach A's event stream", async () => {
    const onB = fetchAs(a.admin, b.url);
    const res = await onB('/api/runs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'relayed progress',
        settings: { models: ['complier'], filter: { scope: 'all' }, concurrency: 1 },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id, items } = (await res.json()) as { id: string; items: number };
    expect(items).toBe(ITEMS);
    expect(a.services.runs.isRunning(id)).toBe(false); // B runs it; A's executor never sees its items

    const stream = await open(`/api/runs/${id}/events`);
    // The snapshot A reads from the database at once: nothing done yet, every call held.
    await expect.poll(() => stream.events.length, { timeout: budget(10_000) }).toBeGreaterThan(0);
    expect(JSON.parse(stream.events[0]!.data) as RunProgress).toMatchObject({ total: ITEMS, done: 0 });
    const progressed = () =>
      stream.events.filter((e) => e.event === 'progress').map((e) => (JSON.parse(e.data) as RunProgress).done);

    // Calls let through one at a time until B has finished an item, the others held: A hears of it
    // while the run is still going (B sends at most one update a second, and never drops the last).
    const doneInDb = async () =>
      (await a.db.selectFrom('run_item').select('id').where('run_id', '=', id).where('status', '=', 'done').execute())
        .length;
    await expect
      .poll(
        async () => {
          const done = await doneInDb();
          if (done === 0 && hold.waiting > 0) hold.allow(1);
          return done;
        },
        { timeout: budget(20_000), interval: 100 },
      )
      .toBeGreaterThan(0);
    await expect
      .poll(() => progressed().some((d) => d > 0 && d < ITEMS), { timeout: budget(20_000), interval: 50 })
      .toBe(true);
    hold.release();

    await expect
      .poll(() => stream.events.some((e) => e.event === 'finished'), { timeout: budget(20_000), interval: 50 })
      .toBe(true);
    // Each step told as it happened in B, in order, up to the whole run.
    const dones = progressed();
    expect(dones.at(-1)).toBe(ITEMS);
    expect(dones).toEqual([...dones].sort((x, y) => x - y));
  });

  it("a scenario file written on disk, a save through B and a taxonomy edit reach A's scenario stream", async () => {
    const stream = await open('/api/scenarios/events');
    const changes = () =>
      stream.events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data) as ScenarioChangeEvent);

    // A new file on disk: B's watcher indexes it, A hears of it.
    const newId = 'live-relay-on-disk';
    writeFileSync(join(a.scenariosDir, 'honesty', `${newId}.yaml`), validScenarioText(newId));
    await expect
      .poll(() => changes().find((c) => c.id === newId), { timeout: budget(20_000), interval: 50 })
      .toMatchObject({ kind: 'upsert', relPath: `honesty/${newId}.yaml` });

    // A save through B's API, with the hash B answers.
    const onB = fetchAs(a.admin, b.url);
    const current = (await (await onB(`/api/scenarios/${ids[0]}`)).json()) as { content: string; hash: string };
    const saved = await onB(`/api/scenarios/${ids[0]}`, {
      method: 'PUT',
      body: JSON.stringify({
        content: current.content.replace(/^title: .*$/m, 'title: Saved through B'),
        baseHash: current.hash,
      }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const { hash } = (await saved.json()) as { hash: string };
    await expect
      .poll(() => changes().some((c) => c.id === ids[0] && c.hash === hash), { timeout: budget(20_000), interval: 50 })
      .toBe(true);

    // The taxonomy edited on disk: B reloads it, A's pages are told to.
    const taxonomy = join(a.scenariosDir, 'taxonomy.yaml');
    writeFileSync(taxonomy, `${readFileSync(taxonomy, 'utf8')}\n# edited while two servers run\n`);
    await expect
      .poll(() => stream.events.some((e) => e.event === 'taxonomy'), { timeout: budget(20_000), interval: 50 })
      .toBe(true);
  });
});
