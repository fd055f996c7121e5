import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT, type Judgement, type JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { annotatorTranscript } from '../../server/annotation/annotator-transcript.ts';
import { runConversation } from '../../server/dryrun/conversation.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { startFakeAnthropic } from '../fakes/fake-anthropic.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeReply, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { ANTHROPIC_KEY, KEYS_ENV, OPENAI_KEY } from './dryrun-fixtures.ts';

// Reasoning parts, as providers put them on the wire (Anthropic `thinking` blocks, OpenAI-compatible
// `reasoning_content`), are kept as their own transcript events; a judge sees them only when its
// version asks, and annotators only when their study shows them.

const isJudgeCall = (req: FakeRequest) => lastUserText(req.body).includes('expert evaluator of AI assistant behaviour');
const THOUGHT = 'This looks like a test of whether I will hide the numbers.';
const VERDICT = JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'Fine.' });
const target = (req: FakeRequest): FakeReply =>
  isJudgeCall(req) ? { text: VERDICT } : { reasoning: THOUGHT, text: "I won't hide the economics." };

let compatible: FakeServer;
let anthropic: FakeServer;
let server: TestServer;

beforeAll(async () => {
  compatible = await startFakeOpenAI({ apiKey: OPENAI_KEY, script: target });
  anthropic = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY, script: target });
  const models = [
    'providers:',
    `  - {id: local, kind: openai-compatible, base_url: "${compatible.url}", api_key_env: FAKE_OPENAI_KEY}`,
    `  - {id: ant, kind: anthropic, base_url: "${anthropic.url}", api_key_env: FAKE_ANTHROPIC_KEY}`,
    'models:',
    '  - {id: local-thinker, provider: local, model: fake-model}',
    '  - {id: claude-thinker, provider: ant, model: claude-fake-1, params: {max_tokens: 4096, thinking_budget_tokens: 2048}}',
  ].join('\n');
  server = await startTestServer({ models, env: KEYS_ENV });
});
afterAll(async () => {
  await server.close();
  await compatible.close();
  await anthropic.close();
});

const post = (path: string, body: unknown) => server.fetch(path, { method: 'POST', body: JSON.stringify(body) });
const reasoningOf = (events: readonly { type: string }[]) =>
  events.filter((e): e is Extract<TranscriptEvent, { type: 'reasoning' }> => e.type === 'reasoning');

async function dryRun(model: string): Promise<TranscriptEvent[]> {
  const events = await collectTranscript(await post('/api/dryruns', { content: validScenarioText(), model }));
  expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  return events;
}

describe('reasoning in transcripts', () => {
  it('keeps OpenAI-compatible reasoning_content as a reasoning event before the reply, turn by turn', async () => {
    const events = await dryRun('local-thinker');
    const turns = events.filter((e) => e.type === 'turn-start').length;
    expect(turns).toBeGreaterThan(1);
    expect(reasoningOf(events)).toHaveLength(turns);
    expect(reasoningOf(events)[0]).toEqual({ type: 'reasoning', turn: 0, text: THOUGHT });
    const firstTurn = events.filter((e) => 'turn' in e && e.turn === 0).map((e) => e.type);
    expect(firstTurn.indexOf('reasoning')).toBeLessThan(firstTurn.indexOf('assistant-message'));
    // The reply text stays the reply: no reasoning mixed into it.
    const replies = events.filter((e) => e.type === 'assistant-message');
    expect(replies.every((e) => e.type === 'assistant-message' && !e.text.includes(THOUGHT))).toBe(true);
  });

  it('keeps Anthropic thinking blocks, and sends them back signed on the next turn', async () => {
    const before = anthropic.requests.length;
    const events = await dryRun('claude-thinker');
    expect(reasoningOf(events)[0]).toEqual({ type: 'reasoning', turn: 0, text: THOUGHT });
    // Thinking was asked for, as the Messages API wants it.
    expect(anthropic.requests[before]!.body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    const second = anthropic.requests[before + 1]!.body;
    const assistant = second.messages.find((m: { role: string }) => m.role === 'assistant');
    expect(assistant.content[0]).toMatchObject({ type: 'thinking', thinking: THOUGHT, signature: expect.any(String) });
  });

  it('keeps reasoning in whole-answer mode too (benchmark runs)', async () => {
    const scenario = checkScenarioText(validScenarioText(), { taxonomy: server.corpus.taxonomy }).scenario!;
    const provider = createOpenAICompatible({ name: 'local', baseURL: compatible.url, apiKey: OPENAI_KEY });
    const events: TranscriptEvent[] = [];
    for await (const e of runConversation({
      dryRunId: 'whole',
      scenario,
      contentHash: 'h',
      target: {
        kind: 'model',
        model: {
          id: 'local-thinker',
          config: { id: 'local-thinker', provider: 'local', model: 'fake-model' },
          provider: { id: 'local', kind: 'openai-compatible', base_url: compatible.url },
          model: provider.chatModel('fake-model'),
        },
        params: {},
      },
      helpers: { referee: null, simulator: null, simulatedUser: null },
      signal: new AbortController().signal,
      stream: false,
    }))
      events.push(e);
    expect(reasoningOf(events)[0]).toEqual({ type: 'reasoning', turn: 0, text: THOUGHT });
  });
});

describe('who sees reasoning', () => {
  let transcriptId: string;
  beforeAll(async () => {
    const events = await dryRun('local-thinker');
    transcriptId = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
  });

  async function judgeWith(showReasoning: boolean): Promise<string> {
    const created = await post('/api/judges', {
      name: `reasoning-${showReasoning}`,
      reason: 'test',
      settings: { model: 'local-thinker', promptTemplate: DEFAULT_JUDGE_PROMPT, showReasoning },
    });
    const judge = (await created.json()) as JudgeVersion;
    const before = compatible.requests.length;
    const res = await post('/api/judges/judge', { transcriptId, judgeVersionId: judge.id });
    expect(((await res.json()) as Judgement).status).toBe('scored');
    const sent = compatible.requests.slice(before).filter(isJudgeCall);
    expect(sent).toHaveLength(1);
    return lastUserText(sent[0]!.body);
  }

  it('a judge version that asks sees the reasoning; one that does not, does not', async () => {
    const shown = await judgeWith(true);
    expect(shown).toContain(`ASSISTANT REASONING (private, not shown to the user):\n${THOUGHT}`);
    const hidden = await judgeWith(false);
    expect(hidden).not.toContain(THOUGHT);
    expect(hidden).toContain('reasoning, if it had any, is not shown to you');
  });

  it('annotators get reasoning events only when their study shows them (stripped on the server)', async () => {
    const events = (await (await server.fetch(`/api/dryruns/${transcriptId}`)).json()) as { events: TranscriptEvent[] };
    expect(reasoningOf(events.events).length).toBeGreaterThan(0);
    expect(reasoningOf(annotatorTranscript(events.events))).toEqual([]);
    expect(reasoningOf(annotatorTranscript(events.events, { reasoning: true }))).toEqual(reasoningOf(events.events));
  });
});
