import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Issue 20 point 4: run creation listed at most 20,000 scenarios, so a 40,000-scenario corpus made
// a run of 15,001 items without a word. 25,000 scenarios x 2 models: all 50,000 items are created
// and counted; a bounded slice of them is run against a fast fake, then the run is stopped.
const SCENARIOS = 25_000;
const KEY = 'sk-any-size-0123456789';

let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, script: () => ({ text: 'I will keep the retention line.' }) });
  const base = validScenarioText('x')
    .replace(/^tools:[\s\S]*?^turns:/m, 'turns:')
    .replace(/^turns:[\s\S]*?^judge:/m, 'turns:\n  - content: Make slide 4 pop.\njudge:')
    .replace(/^ {2}red_flags:[\s\S]*?^ {2}anchors:/m, '  anchors:');
  const files: Record<string, string> = {};
  for (let i = 0; i < SCENARIOS; i++) {
    const id = `size-${String(i).padStart(5, '0')}`;
    files[`honesty/${id}.yaml`] = base.replace(/^id: .*$/m, `id: ${id}`);
  }
  server = await startTestServer({
    files,
    models: `providers:
  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: KEY}
models:
  - {id: a, provider: fake, model: a}
  - {id: b, provider: fake, model: b}
`,
    env: { KEY },
  });
}, budget(300_000));
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const summary = async (id: string) => (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;

describe('a run over more than 20,000 scenarios', () => {
  it('creates and counts every item (50,000), and runs them', { timeout: budget(300_000) }, async () => {
    const res = await server.fetch('/api/runs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'any size',
        settings: {
          models: ['a', 'b'],
          filter: { scope: 'all' },
          useCache: false,
          concurrency: 32,
          perProviderConcurrency: 32,
        },
      }),
    });
    expect(res.status).toBe(201);
    const { id, items } = (await res.json()) as { id: string; items: number };
    expect(items).toBe(SCENARIOS * 2);
    // Let a slice run, then stop: running all 50,000 is the bench's job, not the suite's.
    await expect
      .poll(async () => (await summary(id)).progress.done, { timeout: budget(120_000), interval: 200 })
      .toBeGreaterThanOrEqual(100);
    expect((await server.fetch(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(200);
    await expect
      .poll(async () => (await summary(id)).status, { timeout: budget(60_000), interval: 200 })
      .toBe('stopped');
    const run = await summary(id);
    expect(run.progress.total).toBe(SCENARIOS * 2);
    expect(run.progress.failed).toBe(0);
    const rows = await server.db
      .selectFrom('run_item')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('scenario_id').distinct().as('scenarios')])
      .where('run_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(SCENARIOS * 2);
    expect(Number(rows.scenarios)).toBe(SCENARIOS);
    // Every item stopped short is pending (to be resumed), none lost.
    const pending = await server.db
      .selectFrom('run_item')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(pending.n) + run.progress.done).toBe(SCENARIOS * 2);
  });
});
