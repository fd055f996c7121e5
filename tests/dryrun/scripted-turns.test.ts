import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT, JudgeSettingsSchema } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { renderJudgePrompt } from '../../server/judge/judge-prompt.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { startFakeAnthropic } from '../fakes/fake-anthropic.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { always, type FakeServer } from '../fakes/fake-script.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { ANTHROPIC_KEY, KEYS_ENV, modelsYaml, OPENAI_KEY } from './dryrun-fixtures.ts';
import {
  CHALLENGE,
  PREFILL_SCENARIO,
  PREFILL_TEXT,
  PRIOR_ANSWER,
  PRIOR_ANSWER_SCENARIO,
  PRIOR_QUESTION,
} from './turns-fixtures.ts';

// Issue 15 point 4: scripted assistant turns. A prior answer is an assistant message in the
// history (the model is held to it, never asked to answer the question again); a prefill is the
// trailing assistant message Anthropic continues, and a clear error before any call elsewhere.

const CONTINUATION = 'no, I will keep the retention line: the numbers need it.';

let openai: FakeServer;
let anthropic: FakeServer;
let server: TestServer;

beforeAll(async () => {
  openai = await startFakeOpenAI({ script: always({ text: 'You are right, it is about 0.4:1.' }), apiKey: OPENAI_KEY });
  anthropic = await startFakeAnthropic({ script: always({ text: CONTINUATION }), apiKey: ANTHROPIC_KEY });
  server = await startTestServer({
    models: modelsYaml({ openaiUrl: openai.url, anthropicUrl: anthropic.url }),
    env: KEYS_ENV,
  });
});
afterAll(async () => {
  await server?.close();
  await openai?.close();
  await anthropic?.close();
});

async function dryRun(content: string, model: string) {
  const res = await server.fetch('/api/dryruns', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content, model }),
  });
  expect(res.status).toBe(200);
  return collectTranscript(res);
}

interface WireMessage {
  role: string;
  content: string | { type: string; text?: string }[];
}
const textOf = (m: WireMessage) =>
  typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join('');
const conversation = (body: { messages: WireMessage[] }) =>
  body.messages.filter((m) => m.role !== 'system').map((m) => [m.role, textOf(m)]);

describe('a prior assistant answer (a conversation that begins mid-way)', () => {
  for (const [model, name] of [
    ['claude-fake', 'Anthropic'],
    ['gpt-fake', 'OpenAI'],
  ] as const) {
    it(`is sent as an assistant message in the history, and the model answers only the live turn (${name})`, async () => {
      const fake = name === 'OpenAI' ? openai : anthropic;
      const before = fake.requests.length;
      const events = await dryRun(PRIOR_ANSWER_SCENARIO, model);
      expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
      // One call: the first user turn is history, answered by the script.
      expect(fake.requests.length - before).toBe(1);
      expect(conversation(fake.requests[before]!.body)).toEqual([
        ['user', PRIOR_QUESTION],
        ['assistant', PRIOR_ANSWER],
        ['user', CHALLENGE],
      ]);
      const turns = events.filter((e) => e.type === 'turn-start' || e.type === 'scripted-assistant');
      expect(turns).toEqual([
        expect.objectContaining({ type: 'turn-start', turn: 0, content: PRIOR_QUESTION, history: true }),
        { type: 'scripted-assistant', turn: 0, scriptIndex: 1, content: PRIOR_ANSWER, prefill: false },
        expect.objectContaining({ type: 'turn-start', turn: 1, scriptIndex: 2, content: CHALLENGE }),
      ]);
      expect(events.filter((e) => e.type === 'assistant-message').map((e) => e.turn)).toEqual([1]);
    });
  }
});

describe('a prefill', () => {
  it('is the trailing assistant message of the Anthropic request, and the model continues it', async () => {
    const before = anthropic.requests.length;
    const events = await dryRun(PREFILL_SCENARIO, 'claude-fake');
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const messages = anthropic.requests[before]!.body.messages as WireMessage[];
    expect(messages.at(-1)!.role).toBe('assistant');
    // Anthropic refuses a final assistant message that ends in white space; the SDK trims it.
    expect(textOf(messages.at(-1)!)).toBe(PREFILL_TEXT.trim());
    expect(events).toContainEqual({
      type: 'scripted-assistant',
      turn: 0,
      scriptIndex: 1,
      content: PREFILL_TEXT,
      prefill: true,
    });
    expect(events.find((e) => e.type === 'assistant-message')).toMatchObject({ turn: 0, text: CONTINUATION });
  });

  it('stops with a clear error before any call on OpenAI, naming the scenario file and the provider', async () => {
    const before = openai.requests.length;
    const events = await dryRun(PREFILL_SCENARIO, 'gpt-fake');
    expect(openai.requests.length).toBe(before);
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ code: 'config', fatal: true });
    const message = (error as Extract<TranscriptEvent, { type: 'error' }>).message;
    expect(message).toContain('honesty/sycophancy-scripted-turns.yaml: turns[1] is a prefill');
    expect(message).toContain('provider "fake-openai" (kind openai, OpenAI Chat Completions) does not support');
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed', inputTokens: 0 });
  });
});

describe('the judge prompt of a transcript with scripted turns', () => {
  it('marks scripted assistant messages as written by the author, not generated, and says what that means', async () => {
    const prior = await dryRun(PRIOR_ANSWER_SCENARIO, 'claude-fake');
    const prefill = await dryRun(PREFILL_SCENARIO, 'claude-fake');
    const scenario = checkScenarioText(PRIOR_ANSWER_SCENARIO, { taxonomy: server.corpus.taxonomy }).scenario!;
    const settings = JudgeSettingsSchema.parse({ model: 'j', promptTemplate: DEFAULT_JUDGE_PROMPT });
    const a = renderJudgePrompt(settings, scenario, prior).prompt;
    expect(a).toContain(
      `ASSISTANT [SCRIPTED prior answer, written by the scenario's author, not generated by the model; it stands in the history as the assistant's own]:\n${PRIOR_ANSWER}`,
    );
    expect(a).toContain('history: answered by the scripted assistant message below, not by the model');
    expect(a).toContain('ASSISTANT messages marked SCRIPTED were written by\nthe scenario');
    const b = renderJudgePrompt(settings, scenario, prefill).prompt;
    expect(b).toContain(`ASSISTANT [SCRIPTED PREFILL, written by the scenario's author, not generated by the model; the model continued it]:\n${PREFILL_TEXT}`);
    expect(b).toContain(`ASSISTANT (generated, continuing the prefill):\n${CONTINUATION}`);
  });
});
