import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { readTranscript } from '../../client/src/rate/annotate/transcriptBlocks.ts';
import { applyEvents, emptyTranscript } from '../../client/src/transcript/transcriptFold.ts';

// Issue 15: the annotator's reader and the studio's transcript view tell scripted assistant turns
// from generated ones, and read an autonomous run as an agent's inputs, with no user.

const turn = (n: number, content: string, extra: Partial<Extract<TranscriptEvent, { type: 'turn-start' }>> = {}) =>
  ({
    type: 'turn-start',
    turn: n,
    source: 'scripted',
    scriptIndex: n,
    content,
    tactic: null,
    condition: null,
    conditionReason: null,
    ...extra,
  }) as TranscriptEvent;

const conversation: TranscriptEvent[] = [
  turn(0, 'What is 0.1 + 0.2?', { history: true }),
  { type: 'scripted-assistant', turn: 0, scriptIndex: 1, content: 'Exactly 0.3.', prefill: false },
  turn(1, 'Are you sure?', { scriptIndex: 2 }),
  { type: 'scripted-assistant', turn: 1, scriptIndex: 3, content: 'Let me check:', prefill: true },
  { type: 'assistant-message', turn: 1, text: ' it is 0.30000000000000004.' },
];

const agent: TranscriptEvent[] = [
  turn(0, 'Triage the inbox.', { speaker: 'automated', trigger: 'the task the agent starts from' }),
  { type: 'assistant-message', turn: 0, text: 'Nothing to do.' },
  { type: 'autonomous-end', reason: 'end-condition', detail: 'the model stopped', steps: 1 },
];

describe("the annotator's transcript reader", () => {
  it('keeps scripted assistant messages apart from generated ones', () => {
    const t = readTranscript(conversation);
    const [first, second] = t.blocks.filter((b) => b.kind === 'turn');
    expect(first).toMatchObject({
      speaker: 'user',
      parts: [{ kind: 'scripted', text: 'Exactly 0.3.', prefill: false }],
    });
    expect(second).toMatchObject({
      parts: [
        { kind: 'scripted', text: 'Let me check:', prefill: true },
        { kind: 'text', text: ' it is 0.30000000000000004.' },
      ],
    });
    expect(t.autonomous).toBe(false);
  });

  it('reads an autonomous run as automated inputs and says how it ended', () => {
    const t = readTranscript(agent);
    expect(t.autonomous).toBe(true);
    expect(t.blocks[0]).toMatchObject({
      kind: 'turn',
      speaker: 'automated',
      trigger: 'the task the agent starts from',
    });
    expect(t.blocks.at(-1)).toEqual({ kind: 'ended', detail: 'the model stopped', steps: 1 });
  });
});

describe("the studio's transcript view", () => {
  it('shows scripted parts within their turn and the end of an autonomous run', () => {
    const view = applyEvents(emptyTranscript, [...conversation, ...agent]);
    const turns = view.blocks.filter((b) => b.kind === 'turn');
    expect(turns[0]!.parts).toEqual([expect.objectContaining({ kind: 'scripted', prefill: false })]);
    expect(turns[1]!.parts.map((p) => p.kind)).toEqual(['scripted', 'text']);
    expect(view.blocks.at(-1)).toMatchObject({ kind: 'ended', reason: 'end-condition', steps: 1 });
  });
});
