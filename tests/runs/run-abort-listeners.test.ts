import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from './run-fixtures.ts';
import { shippedCorpusSize } from '../support/shipped-corpus-size.ts';

// Issue 20 point 1: every model call used to leave a listener on the run's stop signal (the AI SDK
// links its own timeout signal to the one it is given), so a run of N items ended with ~5N
// listeners on one signal, and Node walks that list on every add. The server runs in this process,
// so counting live 'abort' listeners per AbortSignal here sees the engine's signals directly.
const live = new WeakMap<EventTarget, number>();
let maxLive = 0;
const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;

function count(target: EventTarget, type: string, delta: number) {
  if (type !== 'abort' || !(target instanceof AbortSignal)) return;
  const n = Math.max(0, (live.get(target) ?? 0) + delta);
  live.set(target, n);
  maxLive = Math.max(maxLive, n);
}

let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    count(this, type, 1);
    if (typeof options === 'object' && options?.once && listener) {
      // A once-listener is gone after it fires: count that too.
      const original = listener;
      const wrapped = (ev: Event) => {
        count(this, type, -1);
        return typeof original === 'function' ? original.call(this, ev) : original.handleEvent(ev);
      };
      onceWrappers.set(original, wrapped);
      return add.call(this, type, wrapped, options);
    }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    const wrapped = listener ? onceWrappers.get(listener) : undefined;
    if (listener) count(this, type, -1);
    return remove.call(this, type, wrapped ?? listener, options);
  };
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: threeModels });
  server = await startTestServer({ shippedCorpus: true, models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  const res = await server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'run judge',
      reason: 'test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(res.status).toBe(201);
});
const onceWrappers = new WeakMap<object, EventListener>();

afterAll(async () => {
  EventTarget.prototype.addEventListener = add;
  EventTarget.prototype.removeEventListener = remove;
  await server?.close();
  await fake?.close();
});

describe('a benchmark run', () => {
  it(
    'holds a bounded number of abort listeners on any one signal, however many items it runs',
    { timeout: budget(120_000) },
    async () => {
      const created = await server.fetch('/api/runs', {
        method: 'POST',
        body: JSON.stringify({
          name: 'listeners',
          settings: { models: ['complier', 'refuser', 'middle'], filter: { scope: 'all' }, concurrency: 8 },
        }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      let run: RunSummary | undefined;
      await expect
        .poll(
          async () => {
            run = (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
            return run.status;
          },
          { timeout: budget(90_000), interval: 100 },
        )
        .toBe('completed');
      // An item per variant and model (255 when the corpus had 85 scenarios without variables), each with
      // 4 target calls and 1 judge call: before, one signal held over 1,000.
      expect(run!.progress.done).toBe(shippedCorpusSize().variants * 3);
      expect(fake.requests.length).toBeGreaterThan(shippedCorpusSize().variants * 3 * 2);
      // At concurrency 8, a handful of listeners per item in flight, plus the run loop's own.
      expect(maxLive).toBeLessThanOrEqual(8 * 4 + 8);
    },
  );
});
