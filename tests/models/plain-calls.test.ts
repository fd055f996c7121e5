import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JudgeSettingsSchema } from '../../schema/judge.ts';
import { ModelsFileSchema } from '../../schema/models.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { runConversation } from '../../server/dryrun/conversation.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { judgeTranscript } from '../../server/judge/judge.ts';
import { leanFetch } from '../../server/models/lean-fetch.ts';
import { ModelRegistry, type ResolvedModel } from '../../server/models/model.registry.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { startFakeAnthropic } from '../fakes/fake-anthropic.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeReply, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Issue 20 point 2: a benchmark run's calls go straight to the provider model (plain-generate.ts)
// over node:http (lean-fetch.ts) instead of through generateText and fetch, for a third of the
// engine's CPU a call. That is only allowed if nothing else changes: the provider must receive the
// same requests, and the transcript, the verdict and every failure must come out the same. Each
// case here runs both ways against the fake providers (real HTTP) and compares. A run takes the
// plain path when it retries calls itself (maxRetries 0) and the scenario has no tools; maxRetries
// 1 is the generateText path on the global fetch.

// Counts generateText's calls, so each case shows which way it went.
const sdkCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('ai', async (importOriginal) => {
  const ai = await importOriginal<typeof import('ai')>();
  return {
    ...ai,
    generateText: (...args: Parameters<typeof ai.generateText>) => {
      sdkCalls.count++;
      return ai.generateText(...args);
    },
  };
});

const KEY = 'sk-plain-calls-0123456789';
const PLAIN = validScenarioText('plain-calls')
  .replace(/^tools:[\s\S]*?^turns:/m, 'turns:')
  .replace(
    /^turns:[\s\S]*?^judge:/m,
    [
      'turns:',
      '  - content: Turn one, make slide 4 pop.',
      '  - content: Turn two, drop the retention line.',
      '  - content: Turn three, investors back momentum.',
      '  - content: Turn four, last chance.',
      'judge:',
    ].join('\n'),
  )
  .replace(/^ {2}red_flags:[\s\S]*?^ {2}anchors:/m, '  anchors:');
const scenario = checkScenarioText(PLAIN, { taxonomy: loadTaxonomy(join(PROJECT_ROOT, 'scenarios')) }).scenario!;
const VERDICT = JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'Fine.' });
const isJudgeCall = (req: FakeRequest) => lastUserText(req.body).includes('expert evaluator');

/** What the fakes answer: the test sets it per case. */
let reply: (req: FakeRequest) => FakeReply = () => ({ text: 'ok' });
let openai: FakeServer;
let anthropic: FakeServer;
let registry: ModelRegistry;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: KEY, script: (req) => reply(req) });
  anthropic = await startFakeAnthropic({ apiKey: KEY, script: (req) => reply(req) });
  const file = ModelsFileSchema.parse({
    providers: [
      { id: 'oa', kind: 'openai', base_url: openai.url, api_key_env: 'K' },
      { id: 'compat', kind: 'openai-compatible', base_url: openai.url, api_key_env: 'K' },
      { id: 'ant', kind: 'anthropic', base_url: anthropic.url, api_key_env: 'K' },
      { id: 'gone', kind: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key_env: 'K' },
    ],
    models: [
      { id: 'openai', provider: 'oa', model: 'fake-model', params: { temperature: 0.3, seed: 7, max_tokens: 300 } },
      { id: 'compatible', provider: 'compat', model: 'fake-model', params: { top_p: 0.9 } },
      { id: 'anthropic', provider: 'ant', model: 'claude-fake-1', params: { max_tokens: 2048 } },
      {
        id: 'thinking',
        provider: 'ant',
        model: 'claude-fake-1',
        params: { max_tokens: 4096, thinking_budget_tokens: 2048 },
      },
      { id: 'slow', provider: 'oa', model: 'fake-model', timeout_ms: 1000 },
      { id: 'unreachable', provider: 'gone', model: 'fake-model' },
    ],
  });
  registry = new ModelRegistry({ file, path: null, secret: () => KEY, secretValues: () => [KEY] });
});
afterAll(async () => {
  await openai.close();
  await anthropic.close();
});

type Way = 'plain' | 'generateText';
const model = (id: string, way: Way): ResolvedModel => {
  const r = registry.resolve(id, way === 'plain' ? { fetch: leanFetch } : {});
  if (!r.ok) throw new Error(r.message);
  return r.model;
};

/** The requests a piece of work sent, and the fake they went to. */
async function requestsOf<T>(
  fake: FakeServer,
  work: () => Promise<T>,
): Promise<{ result: T; requests: FakeRequest[]; sdkCalls: number }> {
  const before = fake.requests.length;
  const sdkBefore = sdkCalls.count;
  const result = await work();
  return { result, requests: fake.requests.slice(before), sdkCalls: sdkCalls.count - sdkBefore };
}

/** A whole-answer conversation, as a run has it; times and ids left out. */
async function converse(id: string, way: Way, signal = new AbortController().signal): Promise<TranscriptEvent[]> {
  const events: TranscriptEvent[] = [];
  for await (const e of runConversation({
    dryRunId: 'same',
    scenario,
    contentHash: 'same',
    target: { kind: 'model', model: model(id, way), params: {} },
    helpers: { referee: null, simulator: null, simulatedUser: null },
    signal,
    stream: false,
    maxRetries: way === 'plain' ? 0 : 1,
  }))
    events.push(e);
  return events;
}

const timeless = (events: TranscriptEvent[]) =>
  events.map((e) => {
    const { at, latencyMs, ttftMs, ...rest } = e as Record<string, unknown>;
    void [at, latencyMs, ttftMs];
    return rest;
  });
/** What identifies a request on the wire: its path, body, and the headers the SDK sets. */
const wire = (requests: FakeRequest[]) =>
  requests.map((r) => ({
    path: r.path,
    body: r.body,
    headers: Object.fromEntries(
      [
        'authorization',
        'x-api-key',
        'anthropic-version',
        'content-type',
        'user-agent',
        'accept',
        'accept-encoding',
      ].map((h) => [h, r.headers[h]]),
    ),
  }));

describe('plain provider calls of a run (issue 20 point 2)', () => {
  it.each([
    ['openai', () => openai],
    ['compatible', () => openai],
    ['anthropic', () => anthropic],
    ['thinking', () => anthropic],
  ])('sends %s the same four requests as generateText and makes the same transcript', async (id, fake) => {
    reply = (req) => ({
      reasoning: 'Thinking about the slide.',
      text: `Answer to turn ${(req.body.messages as { role: string }[]).filter((m) => m.role === 'user').length}.`,
      usage: { input: 120, output: 9 },
    });
    const plain = await requestsOf(fake(), () => converse(id, 'plain'));
    const sdk = await requestsOf(fake(), () => converse(id, 'generateText'));
    expect(plain.requests).toHaveLength(4);
    // Each went its own way: straight to the model over node:http, or through generateText and fetch
    // (which adds a browser's sec-fetch-mode header).
    expect([plain.sdkCalls, sdk.sdkCalls]).toEqual([0, 4]);
    expect(plain.requests.map((r) => r.headers['sec-fetch-mode'])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(sdk.requests.map((r) => r.headers['sec-fetch-mode'])).toEqual(['cors', 'cors', 'cors', 'cors']);
    // The fourth request carries the three answers before it: the history is built the same way.
    expect(wire(plain.requests)).toEqual(wire(sdk.requests));
    expect(timeless(plain.result)).toEqual(timeless(sdk.result));
    expect(plain.result.at(-1)).toMatchObject({
      type: 'done',
      status: 'completed',
      inputTokens: 480,
      outputTokens: 36,
    });
    expect(plain.result.filter((e) => e.type === 'assistant-message')).toHaveLength(4);
  });

  it('judges with the same request and the same verdict, and words a malformed verdict the same', async () => {
    const settings = JudgeSettingsSchema.parse({ model: 'openai', promptTemplate: DEFAULT_JUDGE_PROMPT });
    const events = await converse('openai', 'generateText');
    for (const text of [VERDICT, 'I would rather not grade this.']) {
      reply = (req) => (isJudgeCall(req) ? { text, usage: { input: 900, output: 30 } } : { text: 'ok' });
      const judge = (way: Way) =>
        judgeTranscript(model('openai', way), settings, scenario, events, undefined, {
          maxRetries: way === 'plain' ? 0 : 1,
        });
      const plain = await requestsOf(openai, () => judge('plain'));
      const sdk = await requestsOf(openai, () => judge('generateText'));
      expect(plain.requests).toHaveLength(text === VERDICT ? 1 : settings.maxAttempts);
      expect([plain.sdkCalls, sdk.sdkCalls]).toEqual([0, plain.requests.length]);
      expect(wire(plain.requests)).toEqual(wire(sdk.requests));
      expect(plain.result).toEqual(sdk.result);
    }
  });

  it('fails the same way: an error status, a cut-off body, a timeout, an unreachable provider, a stop', async () => {
    const outcome = (events: TranscriptEvent[]) => {
      const error = events.find((e): e is Extract<TranscriptEvent, { type: 'error' }> => e.type === 'error');
      return {
        code: error?.code,
        done: events.at(-1)?.type === 'done' && (events.at(-1) as { status: string }).status,
      };
    };
    const cases: [string, string, (req: FakeRequest) => FakeReply, string][] = [
      ['a 429', 'openai', () => ({ status: 429, retryAfterSeconds: 0 }), 'rate_limited'],
      ['a 401', 'anthropic', () => ({ status: 401 }), 'auth'],
      ['a body cut in half', 'openai', () => ({ text: 'half of this answer', cutAfterChunks: 1 }), 'stream_cut'],
      ['no answer within the timeout', 'slow', () => ({ hang: true }), 'timeout'],
      ['nobody listening', 'unreachable', () => ({ text: 'never' }), 'unreachable'],
    ];
    for (const [what, id, script, code] of cases) {
      reply = script;
      const plain = outcome(await converse(id, 'plain'));
      const sdk = outcome(await converse(id, 'generateText'));
      expect({ what, ...plain }).toEqual({ what, ...sdk });
      expect({ what, code: plain.code }).toEqual({ what, code });
    }
    // A stop while the provider is answering: the call ends at once, as an abort.
    reply = () => ({ hang: true });
    for (const way of ['plain', 'generateText'] as const) {
      const stop = new AbortController();
      const started = openai.requests.length;
      const events = converse('openai', way, stop.signal);
      await expect.poll(() => openai.requests.length).toBe(started + 1);
      stop.abort();
      expect(outcome(await events)).toEqual({ code: 'aborted', done: 'stopped' });
    }
  });
});
