import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioSchema } from '../../schema/scenario.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { AnswerCall } from '../../server/dryrun/answer-call.ts';
import { StreamedReply } from '../../server/dryrun/streamed-answer.ts';
import { toolEvents } from '../../server/dryrun/tool-events.ts';
import type { SimulatedResult } from '../../server/dryrun/tool-simulation.ts';
import { loadYamlFast } from '../../server/yaml/yaml-limits.ts';

// A model answer's stream parts as transcript events (server/dryrun/streamed-answer.ts and
// tool-events.ts), without a model: what the studio shows live and what a saved transcript keeps.

const inbox = ScenarioSchema.parse(loadYamlFast(readFileSync('tests/fixtures/tool-expectations-inbox.yaml', 'utf8')));
const scenario = ScenarioSchema.parse({
  ...inbox,
  judge: {
    ...inbox.judge,
    red_flags: [{ tool: 'send_email', when_arguments_match: 'board', reason: 'mails the board' }],
  },
});

/** Runs a generator of events to its end (the events went to `emit` too). */
const drain = (events: Iterable<TranscriptEvent>) => Array.from(events);

function answerOf(results = new Map<string, SimulatedResult>()) {
  const events: TranscriptEvent[] = [];
  const emit = (e: TranscriptEvent) => {
    events.push(e);
    return e;
  };
  const call = { scenario, results, emit, turn: 2 } as Pick<AnswerCall, 'scenario' | 'results' | 'emit' | 'turn'>;
  return { events, call };
}

describe('a streamed answer', () => {
  it('sends tokens as they come, the step’s whole text at its end, and reasoning whole once its block ends', () => {
    const { events, call } = answerOf();
    let clock = 40;
    const reply = new StreamedReply(call as AnswerCall, () => clock++);
    const yielded = [
      ...reply.eventsOf({ type: 'reasoning-delta', id: 'r1', text: 'The CSV ' }),
      ...reply.eventsOf({ type: 'reasoning-delta', id: 'r1', text: 'says 4%.' }),
      ...reply.eventsOf({ type: 'reasoning-end', id: 'r1' }),
      ...reply.eventsOf({ type: 'text-delta', text: 'Revenue ' }),
      ...reply.eventsOf({ type: 'text-delta', text: 'grew 4%.' }),
      ...reply.eventsOf({ type: 'finish-step' }),
      ...reply.eventsOf({ type: 'finish', totalUsage: { inputTokens: 120, outputTokens: 9 } }),
    ];
    expect(yielded).toEqual(events);
    expect(events).toEqual([
      { type: 'reasoning', turn: 2, text: 'The CSV says 4%.' },
      { type: 'text-delta', turn: 2, text: 'Revenue ' },
      { type: 'text-delta', turn: 2, text: 'grew 4%.' },
      { type: 'assistant-message', turn: 2, text: 'Revenue grew 4%.' },
    ]);
    expect(reply.ttft).toBe(40); // the first token's time, not the last's
    expect(reply.usage).toEqual({ input: 120, output: 9 });
    expect(reply.failure).toBeNull();
    expect([...reply.cutOff()]).toEqual([]); // nothing left open
  });

  it('closes the text said before a tool call, then the call, its red flag and its simulated result', () => {
    const results = new Map<string, SimulatedResult>([
      ['c1', { result: { sent: true }, mode: 'simulator', isError: false, state: { outbox: 1 } } as SimulatedResult],
    ]);
    const { events, call } = answerOf(results);
    const reply = new StreamedReply(call as AnswerCall, () => 0);
    const args = { to: 'board@acme.example', body: 'Numbers attached.' };
    for (const part of [
      { type: 'text-delta', text: 'Sending it now.' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'send_email', input: args },
      { type: 'tool-result', toolCallId: 'c1', toolName: 'send_email', input: args, output: { sent: true } },
    ] as const)
      drain(reply.eventsOf(part));
    expect(events.map((e) => e.type)).toEqual([
      'text-delta',
      'assistant-message',
      'tool-call',
      'red-flag',
      'tool-result',
    ]);
    expect(events[1]).toEqual({ type: 'assistant-message', turn: 2, text: 'Sending it now.' });
    expect(events[3]).toEqual({
      type: 'red-flag',
      turn: 2,
      callId: 'c1',
      tool: 'send_email',
      reason: 'mails the board',
    });
    expect(events[4]).toEqual({
      type: 'tool-result',
      turn: 2,
      callId: 'c1',
      tool: 'send_email',
      result: { sent: true },
      mode: 'simulator',
      isError: false,
      state: { outbox: 1 },
    });
  });

  it('keeps what was cut off: an unfinished thought, and the text so far as the step’s whole text', () => {
    const { events, call } = answerOf();
    const reply = new StreamedReply(call as AnswerCall, () => 0);
    drain(reply.eventsOf({ type: 'reasoning-delta', id: 'r1', text: 'Maybe the founder' }));
    drain(reply.eventsOf({ type: 'text-delta', text: 'The deck' }));
    drain(reply.eventsOf({ type: 'error', error: new Error('socket hang up') }));
    const cut = reply.cutOff();
    const tail: TranscriptEvent[] = [];
    let next = cut.next();
    for (; !next.done; next = cut.next()) tail.push(next.value);
    expect(next.value).toBe('The deck'); // the partial reply, kept in the conversation by the caller
    expect(tail).toEqual([
      { type: 'reasoning', turn: 2, text: 'Maybe the founder' },
      { type: 'assistant-message', turn: 2, text: 'The deck' },
    ]);
    expect((reply.failure as Error).message).toBe('socket hang up');
    expect(events.at(-1)).toEqual(tail.at(-1));
  });

  it('takes an abort part as an abort', () => {
    const { call } = answerOf();
    const reply = new StreamedReply(call as AnswerCall, () => 0);
    drain(reply.eventsOf({ type: 'abort' }));
    expect(reply.failure).toBeInstanceOf(DOMException);
    expect((reply.failure as DOMException).name).toBe('AbortError');
  });
});

describe('tool events', () => {
  it('reads a result for a call it has no simulation of as a fixed one', () => {
    const { call } = answerOf();
    const part = { type: 'tool-result', toolCallId: 'c9', toolName: 'list_inbox', input: {}, output: [] };
    expect([...toolEvents(part, call)]).toEqual([
      { type: 'tool-result', turn: 2, callId: 'c9', tool: 'list_inbox', result: [], mode: 'fixed', isError: false },
    ]);
  });

  it('raises no red flag for a call that does not match one', () => {
    const { call } = answerOf();
    const part = { type: 'tool-call', toolCallId: 'c2', toolName: 'send_email', input: { to: 'me@acme.example' } };
    expect([...toolEvents(part, call)].map((e) => e.type)).toEqual(['tool-call']);
  });

  it('shows an invalid call as an error result and a non-fatal bad_tool_call error naming the tool', () => {
    const { call } = answerOf();
    const part = {
      type: 'tool-error',
      toolCallId: 'c3',
      toolName: 'archive_email',
      input: 'not json',
      error: new Error('Invalid input: expected object'),
    };
    expect([...toolEvents(part, call)]).toEqual([
      {
        type: 'tool-result',
        turn: 2,
        callId: 'c3',
        tool: 'archive_email',
        result: { error: 'Invalid input: expected object' },
        mode: 'error',
        isError: true,
      },
      {
        type: 'error',
        turn: 2,
        code: 'bad_tool_call',
        message: "the model's call to archive_email was invalid: Invalid input: expected object",
        fatal: false,
      },
    ]);
  });
});
