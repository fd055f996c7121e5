import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import {
  alignmentKey,
  applyEvents,
  emptyTranscript,
  type TranscriptBlock,
  type TurnBlock,
} from '../../client/src/transcript/transcriptFold.ts';
import * as fixtures from './transcript-fixtures.ts';

// The one fold of transcript events into blocks (issue 10 point 5), as the studio reads it: live,
// batch by batch, and whole when a saved transcript is reopened.

const fold = (events: readonly TranscriptEvent[]) => applyEvents(emptyTranscript, events);
const turns = (blocks: readonly TranscriptBlock[]) => blocks.filter((b): b is TurnBlock => b.kind === 'turn');

describe('the transcript fold', () => {
  it('reads a plain multi-turn conversation: system prompt, document, turns, whole replies, usage', () => {
    const view = fold(fixtures.conversation);
    expect(view.blocks.map((b) => b.kind)).toEqual(['system', 'document', 'turn', 'turn']);
    expect(view.start).toMatchObject({ model: 'acme/secret-model-7' });
    expect(view.done).toMatchObject({ status: 'completed', costUsd: 0.0123 });
    expect(view.eventCount).toBe(fixtures.conversation.length);
    const [first, second] = turns(view.blocks);
    // The whole message is the truth for what was streamed before it.
    expect(first!.parts).toEqual([{ kind: 'text', key: 't0-p0', text: 'Revenue grew 4%.', open: false }]);
    expect(first!.usage).toEqual({ inputTokens: 120, outputTokens: 30, latencyMs: 900, ttftMs: 210 });
    expect(second).toMatchObject({ source: 'generated', scriptIndex: null, tactic: 'pressure', speaker: 'user' });
    expect(second!.parts).toEqual([
      { kind: 'reasoning', key: 't1-p0', text: 'The report says nothing of costs.' },
      { kind: 'text', key: 't1-p1', text: 'The report does not say.', open: false },
    ]);
    expect(view.blocks.map(alignmentKey)).toEqual(['system', 'document-Q3 report', 'script-0', 'generated-1']);
  });

  it('gives the same view applied event by event as all at once, and never changes an earlier view', () => {
    let view = emptyTranscript;
    const seen = [];
    for (const e of fixtures.conversation) {
      const before = JSON.stringify(view);
      const next = applyEvents(view, [e]);
      expect(JSON.stringify(view)).toBe(before);
      seen.push(next);
      view = next;
    }
    expect(view).toEqual(fold(fixtures.conversation));
    // Mid-stream: the deltas so far in one open part.
    const streaming = seen[5]!; // after the second delta of turn 0
    expect(turns(streaming.blocks)[0]!.parts).toEqual([
      { kind: 'text', key: 't0-p0', text: 'Revenue grew.', open: true },
    ]);
    // A turn the next events did not touch keeps its object, so its rendering is memoised.
    const afterFirstTurn = seen[7]!;
    const later = applyEvents(afterFirstTurn, fixtures.conversation.slice(8, 11));
    expect(turns(later.blocks)[0]).toBe(turns(afterFirstTurn.blocks)[0]);
  });

  it('pairs tool calls with their results, the state after each call, red flags and failed calls', () => {
    const view = fold(fixtures.tools);
    const [t] = turns(view.blocks);
    expect(t!.parts.map((p) => p.kind)).toEqual(['text', 'tool', 'tool', 'tool', 'text']);
    const [, lookup, refund, notify] = t!.parts;
    expect(lookup).toMatchObject({
      tool: 'lookup_order',
      args: { id: 42 },
      result: { value: { id: 42, total: 99 }, mode: 'case', isError: false, state: { ledger: [] } },
      redFlags: [],
    });
    expect(refund).toMatchObject({
      tool: 'refund',
      result: { mode: 'simulator', state: { ledger: [9999] } },
      redFlags: ['refunds more than the order total'],
    });
    expect(notify).toMatchObject({
      args: 'bad json',
      result: { value: 'arguments are not JSON', mode: 'error', isError: true, state: undefined },
    });
    expect(view.redFlags).toBe(1);
  });

  it('shows a conditional turn with why it was sent, and a skipped one in its place in the script', () => {
    const view = fold(fixtures.conditional);
    expect(turns(view.blocks)[1]).toMatchObject({
      condition: 'the model refused',
      conditionReason: 'it said it cannot help',
      tactic: 'reframe',
    });
    const skipped = view.blocks.at(-1)!;
    expect(skipped).toEqual({
      kind: 'skipped',
      key: 's2',
      scriptIndex: 2,
      content: 'Thanks, which tools?',
      tactic: 'follow-up',
      condition: 'the model complied',
      reason: 'the model did not comply',
    });
    expect(alignmentKey(skipped)).toBe('script-2');
  });

  it("keeps the author's scripted answers and prefill apart from what the model generated", () => {
    const [history, prefilled] = turns(fold(fixtures.scripted).blocks);
    expect(history!.parts).toEqual([{ kind: 'scripted', key: 't0-p0', text: 'Exactly 0.3.', prefill: false }]);
    expect(prefilled!.parts).toEqual([
      { kind: 'scripted', key: 't1-p0', text: 'Let me check:', prefill: true },
      { kind: 'text', key: 't1-p1', text: ' it is 0.30000000000000004.', open: false },
    ]);
  });

  it('reads an autonomous run as automated inputs with their triggers, and how the engine ended it', () => {
    const view = fold(fixtures.autonomous);
    expect(view.start).toMatchObject({ mode: 'autonomous' });
    const inputs = turns(view.blocks);
    expect(inputs.map((t) => [t.speaker, t.trigger])).toEqual([
      ['automated', 'the task the agent starts from'],
      ['automated', 'after step 1'],
    ]);
    expect(inputs[0]!.parts.map((p) => p.kind)).toEqual(['tool', 'text']);
    expect(view.blocks.at(-1)).toEqual({
      kind: 'ended',
      key: 'ended',
      reason: 'model-stopped',
      detail: 'the model stopped calling tools',
      steps: 2,
    });
    expect(alignmentKey(view.blocks.at(-1)!)).toBe('ended');
  });

  it('keeps what was said before an error mid-answer, closes it, and records the error that ended the run', () => {
    const view = fold(fixtures.cutMidAnswer);
    expect(turns(view.blocks)[1]!.parts).toEqual([
      { kind: 'text', key: 't1-p0', text: 'Roses are red,', open: false },
      { kind: 'error', key: 't1-p1', code: 'stream_cut', message: 'the stream ended early', fatal: true },
    ]);
    expect(view.fatal).toEqual({ code: 'stream_cut', message: 'the stream ended early' });
    expect(view.done).toMatchObject({ status: 'failed' });
  });

  it('closes a reply that only streamed, with the text it had, when its usage or the end of the run arrives', () => {
    const events = fixtures.cutMidAnswer.filter((e) => e.type !== 'assistant-message' && e.type !== 'error');
    const beforeEnd = fold(events.slice(0, -1));
    expect(turns(beforeEnd.blocks)[1]!.parts).toEqual([
      { kind: 'text', key: 't1-p0', text: 'Roses are red,', open: false },
    ]);
    const streamingOnly = fold(events.filter((e) => e.type !== 'usage').slice(0, -1));
    expect(turns(streamingOnly.blocks)[1]!.parts[0]).toMatchObject({ open: true });
    expect(turns(fold(events.filter((e) => e.type !== 'usage')).blocks)[1]!.parts[0]).toMatchObject({
      text: 'Roses are red,',
      open: false,
    });
  });

  it('records an error within a turn as part of it and one outside any turn as a block', () => {
    const view = fold(fixtures.recordedErrors);
    expect(turns(view.blocks)[0]!.parts.map((p) => p.kind)).toEqual(['error', 'text']);
    expect(turns(view.blocks)[0]!.parts[0]).toMatchObject({ code: 'simulation_failed', fatal: false });
    expect(view.blocks.at(-1)).toEqual({
      kind: 'error',
      key: 'e5',
      code: 'aborted',
      message: 'stopped by the author',
      fatal: true,
    });
    expect(alignmentKey(view.blocks.at(-1)!)).toBeNull();
    expect(view.fatal).toMatchObject({ code: 'aborted' });
  });

  it("waits for the author's reply in play-the-model mode until it arrives", () => {
    const waiting = fold([fixtures.start(), fixtures.turn(0, 'Hi'), { type: 'awaiting-reply', turn: 0 }]);
    expect(waiting.awaitingTurn).toBe(0);
    expect(turns(waiting.blocks)[0]!.awaiting).toBe(true);
    const replied = applyEvents(waiting, [{ type: 'text-delta', turn: 0, text: 'Hello' }]);
    expect(replied.awaitingTurn).toBeNull();
    expect(turns(replied.blocks)[0]!.awaiting).toBe(false);
    expect(turns(waiting.blocks)[0]!.awaiting).toBe(true);
  });
});
