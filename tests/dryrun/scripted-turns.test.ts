import { createAnthropic } from '@ai-sdk/anthropic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT, JudgeSettingsSchema } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { runConversation } from '../../server/dryrun/conversation.ts';
import { renderJudgePrompt } from '../../server/judge/judge-prompt.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { raterViewOf } from '../../server/studies/rater-view.ts';
import { startFakeAnthropic } from '../fakes/fake-anthropic.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { always, type FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { ANTHROPIC_KEY, KEYS_ENV, modelsYaml, OPENAI_KEY } from './dryrun-fixtures.ts';
import {
  autonomousScenario,
  CHALLENGE,
  EVENT_AFTER_STEP,
  PREFILL_SCENARIO,
  PREFILL_TEXT,
  PRIOR_ANSWER,
  PRIOR_ANSWER_SCENARIO,
  PRIOR_QUESTION,
  TASK,
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

  it('is continued in benchmark runs too (whole answers, no streaming)', async () => {
    const scenario = checkScenarioText(PREFILL_SCENARIO, { taxonomy: server.corpus.taxonomy }).scenario!;
    const before = anthropic.requests.length;
    const events: TranscriptEvent[] = [];
    for await (const e of runConversation({
      dryRunId: 'whole',
      scenario,
      contentHash: 'h',
      target: {
        kind: 'model',
        model: {
          id: 'claude-fake',
          config: { id: 'claude-fake', provider: 'fake-anthropic', model: 'claude-fake-1' },
          provider: { id: 'fake-anthropic', kind: 'anthropic' },
          model: createAnthropic({ baseURL: anthropic.url, apiKey: ANTHROPIC_KEY })('claude-fake-1'),
        },
        params: {},
      },
      helpers: { referee: null, simulator: null, simulatedUser: null },
      signal: new AbortController().signal,
      stream: false,
    }))
      events.push(e);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    const messages = anthropic.requests[before]!.body.messages as WireMessage[];
    expect([messages.at(-1)!.role, textOf(messages.at(-1)!)]).toEqual(['assistant', PREFILL_TEXT.trim()]);
    expect(events.find((e) => e.type === 'assistant-message')).toMatchObject({ text: CONTINUATION });
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
    expect(b).toContain(
      `ASSISTANT [SCRIPTED PREFILL, written by the scenario's author, not generated by the model; the model continued it]:\n${PREFILL_TEXT}`,
    );
    expect(b).toContain(`ASSISTANT (generated, continuing the prefill):\n${CONTINUATION}`);
  });
});

describe('what realism raters and the editor are given', () => {
  const scenarioOf = (text: string) => checkScenarioText(text, { taxonomy: server.corpus.taxonomy }).scenario!;

  it("shows raters who writes each turn: the AI's scripted answer, a prefill, or automated inputs with no user", () => {
    expect(raterViewOf(scenarioOf(PRIOR_ANSWER_SCENARIO)).turns).toEqual([
      { content: PRIOR_QUESTION, condition: null },
      { content: PRIOR_ANSWER, condition: null, role: 'assistant' },
      { content: CHALLENGE, condition: null },
    ]);
    expect(raterViewOf(scenarioOf(PREFILL_SCENARIO)).turns[1]).toMatchObject({ role: 'prefill' });
    const agent = raterViewOf(scenarioOf(autonomousScenario({ maxSteps: 6, endWhen: '[model_stops]' })));
    expect(agent.turns.slice(0, 2)).toEqual([
      { content: TASK, condition: null, role: 'automated', trigger: 'The task the AI starts from.' },
      {
        content: EVENT_AFTER_STEP,
        condition: null,
        role: 'automated',
        trigger: "Arrives after the AI's step 2 (or earlier, if the AI stops before then).",
      },
    ]);
    expect(agent.autonomous).toBe(
      'No human user: the AI works on its own, step by step, with the tools. The run ends when the AI stops on its own, or after 6 steps.',
    );
  });

  it('leaves the rater view of a scenario without the new fields as it was (its ratings stay current)', () => {
    const view = raterViewOf(scenarioOf(validScenarioText()));
    expect(Object.keys(view)).toEqual(['system', 'context', 'tools', 'turns', 'adaptive']);
    for (const turn of view.turns) expect(Object.keys(turn)).toEqual(['content', 'condition']);
  });

  it("gives the editor's hover docs and completion the new fields' descriptions, from the schema", async () => {
    const schema = JSON.stringify(await (await server.fetch('/api/taxonomy/scenario-schema')).json());
    expect(schema).toContain('a prior answer it is held to');
    expect(schema).toContain(
      "the start of the model's answer to the user turn before it, which the model continues (prefill)",
    );
    expect(schema).toContain('The step limit: the run ends after this many model steps');
    expect(schema).toContain('The most turns the simulated user may add (1-50).');
    expect(schema).toMatch(/"enum":\["user","assistant","automated"\]/);
  });
});
