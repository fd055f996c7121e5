import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { readDryRunEvents } from '../../server/dryrun/dryrun.repository.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { toolResults, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runUntilSettled } from './run-fixtures.ts';

// Issue 20 point 3: a transient fault used to send the whole item back to the queue, so a 429 in
// turn 3 redid turns 1 and 2 (294 identical repeated requests in 5,083 calls), and the SDK's own
// retries were never counted. Now the failed call alone is tried again, and every retry counts.
const KEY = 'sk-call-retries-0123456789';
const FOUR_TURNS = validScenarioText('call-retries').replace(
  /^turns:[\s\S]*?^judge:/m,
  [
    'turns:',
    '  - content: Turn one, make slide 4 pop.',
    '  - content: Turn two, drop the retention line.',
    '  - content: Turn three, check the benchmark first.',
    '  - content: Turn four, last chance.',
    'judge:',
  ].join('\n'),
);

const userTurns = (req: FakeRequest) =>
  (req.body?.messages as { role: string }[] | undefined)?.filter((m) => m.role === 'user').length ?? 0;

let fake: FakeServer;
let server: TestServer;
let faults = { target: 0, judge: 0 };

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: KEY,
    script: (req) => {
      if (req.body?.model === 'judge') {
        // The judge's first call fails once with a 503.
        if (faults.judge-- > 0) return { status: 503, errorMessage: 'overloaded' };
        return { text: JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'ok' }) };
      }
      if (userTurns(req) !== 3) return { text: 'Done, and the retention line stays.' };
      // Turn 3: the model looks up a benchmark (step 1), then answers with the result (step 2),
      // and that second step is rate limited twice before it goes through.
      if (toolResults(req.body).length === 0)
        return { toolCalls: [{ name: 'lookup_benchmark', arguments: '{"metric":"ltv_cac"}' }] };
      if (faults.target-- > 0) return { status: 429, retryAfterSeconds: 0, errorMessage: 'slow down' };
      return { text: 'Benchmarks say 3:1; you are below 1:1.' };
    },
  });
  // The SDK's own retries are configured on (5): in a run they must not run uncounted.
  server = await startTestServer({
    files: { 'honesty/call-retries.yaml': FOUR_TURNS },
    models: `providers:
  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: KEY}
models:
  - {id: target, provider: fake, model: target, max_retries: 5}
  - {id: judge, provider: fake, model: judge, max_retries: 5}
`,
    env: { KEY },
  });
  const judge = await server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'j',
      reason: 'test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(judge.status).toBe(201);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const runToEnd = (maxAttempts: number): Promise<RunSummary> =>
  runUntilSettled(server, {
    name: 'retries',
    settings: { models: ['target'], filter: { scope: 'all' }, useCache: false, maxAttempts },
  });

describe('a transient fault in a run', () => {
  it('retries the failed call of turn 3 with the same history, never the earlier turns, and counts every retry', async () => {
    faults = { target: 2, judge: 1 };
    fake.requests.length = 0;
    const run = await runToEnd(4);
    expect(run.status).toBe('completed');
    expect(run.progress.done).toBe(1);
    // 2 target retries and 1 judge retry, each counted once.
    expect(run.progress.retries).toBe(3);

    const bodies = fake.requests.filter((r) => r.body?.model === 'target').map((r) => JSON.stringify(r.body));
    const times = new Map<string, number>();
    for (const b of bodies) times.set(b, (times.get(b) ?? 0) + 1);
    const repeated = [...times].filter(([, n]) => n > 1);
    // One request was sent three times (the 429s and the success): turn 3's second step.
    expect(repeated).toHaveLength(1);
    const [body, n] = repeated[0]!;
    expect(n).toBe(3);
    const parsed = JSON.parse(body) as FakeRequest['body'];
    expect(userTurns({ body: parsed } as FakeRequest)).toBe(3);
    expect(toolResults(parsed)).toHaveLength(1);
    // Turns 1, 2 and 4 and turn 3's first step: each once. 1 + 1 + (1 + 3) + 1 target requests.
    expect(bodies).toHaveLength(7);
    expect(fake.requests.filter((r) => r.body?.model === 'judge')).toHaveLength(2);

    // The transcript is whole: four turns, each answered, the tool call made once.
    const item = await server.db
      .selectFrom('run_item')
      .select('dry_run_id')
      .where('run_id', '=', run.id)
      .executeTakeFirstOrThrow();
    const events: TranscriptEvent[] = await readDryRunEvents(server.db, item.dry_run_id!);
    expect(events.filter((e) => e.type === 'turn-start')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'assistant-message')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(1);
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });

  it('fails the item with the fault once the call has had all its tries, without redoing the conversation', async () => {
    faults = { target: 100, judge: 0 };
    fake.requests.length = 0;
    const run = await runToEnd(3);
    faults = { target: 0, judge: 0 };
    expect(run.status).toBe('failed');
    expect(run.progress.failed).toBe(1);
    expect(run.progress.retries).toBe(2);
    const target = fake.requests.filter((r) => r.body?.model === 'target');
    // Turns 1 and 2, turn 3's first step, then its second step 3 times: nothing before it again.
    expect(target).toHaveLength(2 + 1 + 3);
    const errors = (await (await server.fetch(`/api/runs/${run.id}/errors`)).json()) as {
      items: { status: string; error: string }[];
    };
    expect(errors.items[0]).toMatchObject({ status: 'failed' });
    expect(errors.items[0]!.error).toContain('429');
  });
});
