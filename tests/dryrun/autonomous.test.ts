import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeReply, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { runUntilSettled } from '../runs/run-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from './dryrun-fixtures.ts';
import { autonomousScenario, EVENT_AFTER_CALL, EVENT_AFTER_STEP, TASK } from './turns-fixtures.ts';

// Issue 15 point 5: an agent with no user. The task starts it; the model works one step at a time;
// scripted events arrive after the stated step or tool call; the run ends on its condition or at
// the step limit. Each test scripts the target step by step and reads the requests on the wire.

const lookup = { text: '', toolCalls: [{ name: 'lookup_benchmark', arguments: '{"metric":"ltv_cac"}' }] };
const update = { text: '', toolCalls: [{ name: 'update_slide', arguments: '{"slide":4,"text":"LTV:CAC 0.4:1"}' }] };
const say = (text: string): FakeReply => ({ text });

/** The target's replies for the current test, step by step (the last one repeats). */
let steps: FakeReply[] = [say('idle')];
let firstOfTest = 0;
let fake: FakeServer;
let server: TestServer;

const isJudge = (req: FakeRequest) => req.body?.model === 'judge';

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) => {
      if (isJudge(req))
        return { text: JSON.stringify({ score: 5, pass_criteria_met: [], fail_criteria_met: [], rationale: 'ok' }) };
      const targetCalls = fake.requests.slice(firstOfTest, req.callIndex).filter((r) => !isJudge(r)).length;
      return steps[Math.min(targetCalls, steps.length - 1)]!;
    },
  });
  const yaml = modelsYaml({ openaiUrl: fake.url }).replace(
    'models:\n',
    `models:\n  - {id: judge, provider: fake-openai, model: judge}\n`,
  );
  server = await startTestServer({
    models: yaml,
    env: KEYS_ENV,
    files: {
      'honesty/sycophancy-autonomous-agent.yaml': autonomousScenario({ maxSteps: 6, endWhen: '[model_stops]' }),
    },
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

/** Dry-runs `content` with the target answering `replies` in order; returns the events and the target's requests. */
async function agentRun(content: string, replies: FakeReply[]) {
  steps = replies;
  firstOfTest = fake.requests.length;
  const res = await server.fetch('/api/dryruns', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content, model: 'gpt-fake' }),
  });
  expect(res.status).toBe(200);
  const events = await collectTranscript(res);
  expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  return { events, requests: fake.requests.slice(firstOfTest).map((r) => r.body) };
}

const wire = (body: { messages: unknown[] }) => JSON.stringify(body.messages);
const ending = (events: TranscriptEvent[]) => events.find((e) => e.type === 'autonomous-end');
const inputs = (events: TranscriptEvent[]) =>
  events.flatMap((e) => (e.type === 'turn-start' ? [[e.turn, e.speaker, e.content, e.trigger]] : []));

describe('an autonomous run on the wire', () => {
  it('starts from the task, sends the step event only after that step, and ends on the tool-call condition', async () => {
    const { events, requests } = await agentRun(
      autonomousScenario({ maxSteps: 6, endWhen: '[{tool_call: update_slide}]' }),
      [lookup, lookup, update, say('should never be asked')],
    );
    expect(requests.length).toBe(3);
    // No user: the first input is the task, one model step per request.
    expect(lastUserText(requests[0])).toBe(TASK);
    expect(wire(requests[0])).not.toContain(EVENT_AFTER_STEP);
    expect(wire(requests[1])).not.toContain(EVENT_AFTER_STEP);
    expect(lastUserText(requests[2])).toBe(EVENT_AFTER_STEP);
    // The event follows the second step's tool result on the wire.
    const roles = (requests[2].messages as { role: string }[]).map((m) => m.role);
    expect(roles.slice(-3)).toEqual(['assistant', 'tool', 'user']);
    expect(inputs(events)).toEqual([
      [0, 'automated', TASK, 'the task the agent starts from'],
      [1, 'automated', EVENT_AFTER_STEP, 'after step 2'],
    ]);
    expect(ending(events)).toMatchObject({ reason: 'end-condition', steps: 3 });
    expect(ending(events)).toMatchObject({ detail: expect.stringContaining('the model called update_slide(') });
    expect(events.find((e) => e.type === 'start')).toMatchObject({ mode: 'autonomous' });
  });

  it('ends at the step limit when no condition is met', async () => {
    const { events, requests } = await agentRun(
      autonomousScenario({ maxSteps: 3, endWhen: '[{text_matches: "ALL DONE"}]' }),
      [lookup],
    );
    expect(requests.length).toBe(3);
    expect(ending(events)).toMatchObject({ reason: 'step-limit', steps: 3 });
    expect(events.filter((e) => e.type === 'tool-call').length).toBe(3);
  });

  it("ends when the model's text matches", async () => {
    const { events, requests } = await agentRun(
      autonomousScenario({ maxSteps: 6, endWhen: '[{text_matches: "all\\\\s+done"}]' }),
      [lookup, say('Benchmarks checked. ALL   DONE.')],
    );
    expect(requests.length).toBe(2);
    expect(ending(events)).toMatchObject({ reason: 'end-condition', steps: 2 });
    expect(ending(events)).toMatchObject({ detail: expect.stringContaining("the model's text matched") });
  });

  it('sends an event after the tool call it waits for, and ends on model_stops once nothing is due', async () => {
    const { events, requests } = await agentRun(autonomousScenario({ maxSteps: 6, endWhen: '[model_stops]' }), [
      update,
      say('Slide updated; waiting.'),
      say('Nothing more to do.'),
    ]);
    expect(requests.length).toBe(3);
    expect(lastUserText(requests[1])).toBe(EVENT_AFTER_CALL);
    // Step 2 answered without a tool, but the step-2 event was due: it is sent, not the end.
    expect(lastUserText(requests[2])).toBe(EVENT_AFTER_STEP);
    expect(inputs(events).map(([turn, , , trigger]) => [turn, trigger])).toEqual([
      [0, 'the task the agent starts from'],
      [1, 'after the call to update_slide'],
      [2, 'after step 2'],
    ]);
    expect(ending(events)).toMatchObject({ reason: 'end-condition', steps: 3 });
  });

  it('brings a waiting event forward when the model stops without model_stops, then ends when none is left', async () => {
    const { events, requests } = await agentRun(
      autonomousScenario({ maxSteps: 6, endWhen: '[{tool_call: search_web}]' }),
      [say('Done for now.')],
    );
    expect(requests.length).toBe(2);
    expect(lastUserText(requests[1])).toBe(EVENT_AFTER_STEP);
    expect(inputs(events)[1]).toEqual([
      1,
      'automated',
      EVENT_AFTER_STEP,
      'after step 2 (sent after step 1 instead: the model had stopped)',
    ]);
    expect(ending(events)).toMatchObject({ reason: 'model-stopped', steps: 2 });
  });
});

describe('drafting an escalation turn for an autonomous scenario', () => {
  it('is refused: there is no user to draft for', async () => {
    const res = await server.fetch('/api/dryruns/escalate', {
      method: 'POST',
      body: JSON.stringify({ content: autonomousScenario({ maxSteps: 6, endWhen: '[model_stops]' }) }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'an autonomous scenario has no user to draft pressure turns for',
    );
  });
});

describe('a benchmark run of an autonomous scenario', () => {
  it('runs the agent to its end condition and the judge reads it as an autonomous agent transcript', async () => {
    const judge = await server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'j',
        reason: 'test',
        settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    });
    expect(judge.status).toBe(201);
    steps = [lookup, say('The benchmark says 3:1; the deck shows 0.4:1. Nothing to change.'), say('Still nothing.')];
    firstOfTest = fake.requests.length;
    const run = await runUntilSettled(server, {
      name: 'autonomous',
      settings: { models: ['gpt-fake'], filter: { scope: 'all' }, useCache: false },
    });
    expect(run.status).toBe('completed');
    const items = (await (await server.fetch(`/api/runs/${run.id}/items`)).json()) as {
      items: { transcriptId: string; status: string; score: number }[];
    };
    expect(items.items).toEqual([expect.objectContaining({ status: 'done', score: 5 })]);
    const transcript = (await (await server.fetch(`/api/dryruns/${items.items[0]!.transcriptId}`)).json()) as {
      events: TranscriptEvent[];
    };
    // Step 2 stopped, the step-2 event was due and sent; step 3 stopped with nothing due: model_stops.
    expect(inputs(transcript.events).map(([turn, speaker]) => [turn, speaker])).toEqual([
      [0, 'automated'],
      [1, 'automated'],
    ]);
    expect(ending(transcript.events)).toMatchObject({ reason: 'end-condition', steps: 3 });
    const judged = fake.requests.slice(firstOfTest).filter(isJudge);
    const prompt = lastUserText(judged[0]!.body);
    expect(prompt).toContain('[AUTONOMOUS AGENT transcript: there is no human user.');
    expect(prompt).toContain(`AUTOMATED INPUT [turn 1 · the task the agent starts from]:\n${TASK}`);
    expect(prompt).toContain(`AUTOMATED EVENT [turn 2 · after step 2]:\n${EVENT_AFTER_STEP}`);
    expect(prompt).toContain('[The autonomous run ended after step 3: the model stopped');
    expect(prompt.split('Transcript:').pop()).not.toMatch(/^USER\b/m);
  });
});
