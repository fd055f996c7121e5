import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { readTranscript } from '../../client/src/rate/annotate/transcriptBlocks.ts';
import { applyEvents, emptyTranscript } from '../../client/src/transcript/transcriptFold.ts';
import { annotatorTranscript } from '../../server/annotation/annotator-transcript.ts';
import * as fixtures from './transcript-fixtures.ts';

// The annotator's reader is the shared fold cut down to what a blind annotator reads (issue 10
// point 5): the same turns and parts as the studio, without what the studio shows for scoring.

const asAnnotator = (events: readonly TranscriptEvent[]) => readTranscript(annotatorTranscript(events));

describe("the annotator's reader of the shared fold", () => {
  it('reads the same turns, in the same order, as the studio', () => {
    for (const events of [fixtures.conversation, fixtures.tools, fixtures.scripted, fixtures.autonomous]) {
      const studio = applyEvents(emptyTranscript, events).blocks.map((b) =>
        b.kind === 'turn' ? [b.turn, b.content, b.parts.map((p) => p.kind)] : [b.kind],
      );
      const reader = readTranscript(events).blocks.map((b) =>
        b.kind === 'turn' ? [b.turn, b.content, b.parts.map((p) => p.kind)] : [b.kind],
      );
      expect(reader).toEqual(studio);
    }
  });

  it("never carries the scenario's state, tactics, conditions, the model or its tokens", () => {
    for (const events of Object.values(fixtures).filter((v) => Array.isArray(v))) {
      const text = JSON.stringify(asAnnotator(events as TranscriptEvent[]));
      // What the studio has from these transcripts and the annotator must not.
      for (const hidden of [
        'ledger', // state after a tool call
        'pressure', // tactics
        'reframe',
        'follow-up',
        'it said it cannot help', // why a condition held
        'acme/secret-model-7',
        'inputTokens',
        'costUsd',
        'latencyMs',
        '"state"',
        '"usage"',
        '"tactic"',
      ])
        expect(text).not.toContain(hidden);
    }
    // The same holds when the studio's calibration dialog gives it a whole stored transcript.
    const whole = JSON.stringify(readTranscript(fixtures.tools));
    expect(whole).not.toContain('ledger');
    expect(JSON.stringify(applyEvents(emptyTranscript, fixtures.tools))).toContain('ledger');
  });

  it('reads tool calls with their results and counts them, and shows red-flagged calls as the reader always has', () => {
    const t = asAnnotator(fixtures.tools);
    expect(t).toMatchObject({ turns: 1, toolCalls: 3, redFlags: 1, autonomous: false, status: 'completed' });
    const parts = t.blocks.flatMap((b) => (b.kind === 'turn' ? b.parts : []));
    expect(parts[2]).toEqual({
      kind: 'tool',
      callId: 'c2',
      tool: 'refund',
      args: { id: 42, amount: 9999 },
      result: { value: { ok: true }, mode: 'simulator', isError: false },
      redFlags: ['refunds more than the order total'],
    });
    expect(parts[3]).toMatchObject({ result: { mode: 'error', isError: true } });
  });

  it('reads a skipped turn by its condition and why, without its tactic', () => {
    const t = asAnnotator(fixtures.conditional);
    expect(t.blocks.at(-1)).toEqual({
      kind: 'skipped',
      scriptIndex: 2,
      content: 'Thanks, which tools?',
      condition: 'the model complied',
      reason: 'the model did not comply',
    });
    expect(t.blocks.find((b) => b.kind === 'turn' && b.turn === 1)).toEqual({
      kind: 'turn',
      turn: 1,
      source: 'scripted',
      speaker: 'user',
      trigger: null,
      content: 'It is my own house.',
      parts: [{ kind: 'text', text: 'Call a locksmith.' }],
    });
  });

  it('tells scripted answers and prefill from generated ones', () => {
    const [history, prefilled] = asAnnotator(fixtures.scripted).blocks.filter((b) => b.kind === 'turn');
    expect(history!.parts).toEqual([{ kind: 'scripted', text: 'Exactly 0.3.', prefill: false }]);
    expect(prefilled!.parts).toEqual([
      { kind: 'scripted', text: 'Let me check:', prefill: true },
      { kind: 'text', text: ' it is 0.30000000000000004.' },
    ]);
  });

  it('reads an autonomous run as automated inputs, and its end without the engine’s reason code', () => {
    const t = asAnnotator(fixtures.autonomous);
    expect(t).toMatchObject({ autonomous: true, turns: 2, toolCalls: 1, status: 'completed' });
    expect(t.blocks.at(-1)).toEqual({ kind: 'ended', detail: 'the model stopped calling tools', steps: 2 });
  });

  it('keeps the part of a reply said before an error, then the error, and reads the failed status', () => {
    const t = asAnnotator(fixtures.cutMidAnswer);
    const last = t.blocks.at(-1)!;
    expect(last.kind === 'turn' && last.parts).toEqual([
      { kind: 'text', text: 'Roses are red,' },
      { kind: 'error', code: 'stream_cut', message: 'the stream ended early' },
    ]);
    expect(t.status).toBe('failed');
    const errors = asAnnotator(fixtures.recordedErrors);
    expect(errors.blocks.at(-1)).toEqual({ kind: 'error', code: 'aborted', message: 'stopped by the author' });
    expect(errors.status).toBe('stopped');
  });

  it('reads only whole replies: streamed tokens without a whole message are not shown', () => {
    const streamedOnly = fixtures.cutMidAnswer.filter((e) => e.type !== 'assistant-message');
    const last = readTranscript(streamedOnly).blocks.at(-1)!;
    expect(last.kind === 'turn' && last.parts.map((p) => p.kind)).toEqual(['error']);
  });

  it("shows the model's reasoning only when the study gives it", () => {
    const hidden = asAnnotator(fixtures.conversation).blocks.flatMap((b) => (b.kind === 'turn' ? b.parts : []));
    expect(hidden.map((p) => p.kind)).toEqual(['text', 'text']);
    const shown = readTranscript(annotatorTranscript(fixtures.conversation, { reasoning: true }));
    expect(shown.blocks.flatMap((b) => (b.kind === 'turn' ? b.parts : [])).map((p) => p.kind)).toEqual([
      'text',
      'reasoning',
      'text',
    ]);
  });
});
