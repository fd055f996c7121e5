import type { TranscriptEvent } from '../../../schema/transcript.ts';
import { Batch } from './foldBatch.ts';

// The one fold of transcript events into blocks, shared by the studio (live dry-runs, saved
// transcripts, comparisons, run deep dives) and the annotator's reader (rate/annotate, which cuts
// it down to what a blind annotator may see). Types only from schema/: the rater app imports it
// too, so it must stay free of studio code.
//
// A transcript as the panel shows it, built from the same events live and when reopened. Events
// are applied in batches with copy-on-write: only the blocks an event touched get new objects, so
// memoised turn blocks that did not change are not rendered again while tokens stream in.

type Event<T extends TranscriptEvent['type']> = Extract<TranscriptEvent, { type: T }>;

export type ReplyPart =
  | { kind: 'text'; key: string; text: string; /** still receiving tokens */ open: boolean }
  | { kind: 'reasoning'; key: string; text: string }
  /** Written by the scenario's author, not the model: a prior answer, or a prefill the model continued. */
  | { kind: 'scripted'; key: string; text: string; prefill: boolean }
  | {
      kind: 'tool';
      key: string;
      callId: string;
      tool: string;
      args: unknown;
      result: {
        value: unknown;
        mode: Event<'tool-result'>['mode'];
        isError: boolean;
        /** The scenario's state after the call (scenarios with `state`). */
        state?: Record<string, unknown>;
      } | null;
      redFlags: string[];
    }
  | { kind: 'error'; key: string; code: Event<'error'>['code']; message: string; fatal: boolean };

export interface TurnBlock {
  kind: 'turn';
  key: string;
  turn: number;
  source: Event<'turn-start'>['source'];
  scriptIndex: number | null;
  content: string;
  tactic: string | null;
  condition: string | null;
  conditionReason: string | null;
  /** automated: an input with no human behind it (autonomous mode). */
  speaker: 'user' | 'automated';
  /** Automated events: what made it arrive. */
  trigger: string | null;
  parts: ReplyPart[];
  usage: Omit<Event<'usage'>, 'type' | 'turn'> | null;
  /** Play-the-model mode: waiting for the author to type the reply. */
  awaiting: boolean;
}

export type TranscriptBlock =
  | { kind: 'system'; key: string; content: string }
  | {
      kind: 'document';
      key: string;
      placement: Event<'document'>['placement'];
      title: string;
      content: string;
      tool: string | null;
      args: unknown;
    }
  | TurnBlock
  | {
      kind: 'skipped';
      key: string;
      scriptIndex: number;
      content: string;
      tactic: string | null;
      condition: string;
      reason: string;
    }
  | { kind: 'error'; key: string; code: Event<'error'>['code']; message: string; fatal: boolean }
  | { kind: 'ended'; key: string; reason: Event<'autonomous-end'>['reason']; detail: string; steps: number };

export interface TranscriptView {
  start: Event<'start'> | null;
  blocks: TranscriptBlock[];
  done: Event<'done'> | null;
  redFlags: number;
  /** The error that ended the run, if one did. */
  fatal: { code: Event<'error'>['code']; message: string } | null;
  /** The turn waiting for the author's reply (play-the-model mode), if any. */
  awaitingTurn: number | null;
  eventCount: number;
}

export const emptyTranscript: TranscriptView = {
  start: null,
  blocks: [],
  done: null,
  redFlags: 0,
  fatal: null,
  awaitingTurn: null,
  eventCount: 0,
};

/** The view after `events`; `view` itself is never changed. */
export function applyEvents(view: TranscriptView, events: readonly TranscriptEvent[]): TranscriptView {
  if (events.length === 0) return view;
  const batch = new Batch(view);
  for (const e of events) {
    batch.next.eventCount++;
    if (!applyViewEvent(batch, e)) applyTurnEvent(batch, e as TurnEvent);
  }
  return batch.next;
}

type TextPart = Extract<ReplyPart, { kind: 'text' }>;
type ToolPart = Extract<ReplyPart, { kind: 'tool' }>;
/** The events that belong to one turn and change its parts. */
type TurnEvent = Event<
  | 'awaiting-reply'
  | 'text-delta'
  | 'assistant-message'
  | 'scripted-assistant'
  | 'reasoning'
  | 'tool-call'
  | 'tool-result'
  | 'red-flag'
  | 'usage'
>;

const partKey = (turn: TurnBlock) => `${turn.key}-p${turn.parts.length}`;

/** Events about the whole transcript or that add a block; false for the events of one turn. */
function applyViewEvent(batch: Batch, e: TranscriptEvent): boolean {
  switch (e.type) {
    case 'start':
      batch.next.start = e;
      return true;
    case 'system':
      batch.push({ kind: 'system', key: 'system', content: e.content });
      return true;
    case 'document':
      batch.push(documentBlock(e, batch.next.eventCount));
      return true;
    case 'turn-start':
      batch.push(turnBlock(e));
      return true;
    case 'turn-skipped':
      batch.push(skippedBlock(e));
      return true;
    case 'autonomous-end':
      batch.push({ kind: 'ended', key: 'ended', reason: e.reason, detail: e.detail, steps: e.steps });
      return true;
    case 'error':
      applyError(batch, e);
      return true;
    case 'done':
      applyDone(batch, e);
      return true;
    default:
      return false;
  }
}

/** A document placed in the context; keyed by its event's position, as two may share a title. */
function documentBlock(e: Event<'document'>, eventCount: number): TranscriptBlock {
  return {
    kind: 'document',
    key: `d${eventCount}`,
    placement: e.placement,
    title: e.title,
    content: e.content,
    tool: e.tool,
    args: e.args,
  };
}

/** A turn as it starts: what was sent and why, with no reply yet. */
function turnBlock(e: Event<'turn-start'>): TurnBlock {
  return {
    kind: 'turn',
    key: `t${e.turn}`,
    turn: e.turn,
    source: e.source,
    scriptIndex: e.scriptIndex,
    content: e.content,
    tactic: e.tactic,
    condition: e.condition,
    conditionReason: e.conditionReason,
    speaker: e.speaker ?? 'user',
    trigger: e.trigger ?? null,
    parts: [],
    usage: null,
    awaiting: false,
  };
}

/** A scripted turn whose condition was not met, in its place in the script. */
function skippedBlock(e: Event<'turn-skipped'>): TranscriptBlock {
  return {
    kind: 'skipped',
    key: `s${e.scriptIndex}`,
    scriptIndex: e.scriptIndex,
    content: e.content,
    tactic: e.tactic,
    condition: e.condition,
    reason: e.reason,
  };
}

/** An error inside a turn closes what it was saying and becomes one of its parts; outside any turn, a block. */
function applyError(batch: Batch, e: Event<'error'>) {
  if (e.fatal) batch.next.fatal = { code: e.code, message: e.message };
  const t = e.turn === null ? null : batch.turnAt(e.turn);
  if (t) {
    batch.closeOpenText(t);
    batch.pushPart(t, { kind: 'error', key: partKey(t), code: e.code, message: e.message, fatal: e.fatal });
  } else {
    batch.push({ kind: 'error', key: `e${batch.next.eventCount}`, code: e.code, message: e.message, fatal: e.fatal });
  }
}

/** The end of the run: nothing waits for a reply any more, and a reply that only streamed is closed as it stands. */
function applyDone(batch: Batch, e: Event<'done'>) {
  batch.next.done = e;
  batch.next.awaitingTurn = null;
  for (const b of batch.blocks.slice()) {
    if (b.kind === 'turn' && (b.awaiting || b.parts.some((p) => p.kind === 'text' && p.open))) {
      const t = batch.turnAt(b.turn)!;
      t.awaiting = false;
      batch.closeOpenText(t);
    }
  }
}

/** An event of one turn: a streamed or whole reply, a scripted one, reasoning, a tool call and what followed it. */
function applyTurnEvent(batch: Batch, e: TurnEvent) {
  if (e.type === 'red-flag') batch.next.redFlags++;
  if (e.type === 'awaiting-reply') batch.next.awaitingTurn = e.turn;
  const t = batch.turnAt(e.turn);
  if (!t) return;
  switch (e.type) {
    case 'awaiting-reply':
      t.awaiting = true;
      break;
    case 'text-delta':
    case 'assistant-message':
      applyText(batch, t, e);
      break;
    case 'scripted-assistant':
      batch.pushPart(t, { kind: 'scripted', key: partKey(t), text: e.content, prefill: e.prefill });
      break;
    case 'reasoning':
      batch.closeOpenText(t);
      batch.pushPart(t, { kind: 'reasoning', key: partKey(t), text: e.text });
      break;
    case 'tool-call':
      batch.closeOpenText(t);
      batch.pushPart(t, { ...toolPart(t, e), args: e.args });
      break;
    case 'tool-result':
      applyToolResult(batch, t, e);
      break;
    case 'red-flag':
      applyRedFlag(batch, t, e);
      break;
    case 'usage':
      batch.closeOpenText(t);
      t.usage = { inputTokens: e.inputTokens, outputTokens: e.outputTokens, latencyMs: e.latencyMs, ttftMs: e.ttftMs };
      break;
  }
}

/**
 * Streamed tokens go into the open text part (or open one); the whole text of one model step
 * closes it and is the truth for it. Either means the author's turn to reply is over.
 */
function applyText(batch: Batch, t: TurnBlock, e: Event<'text-delta' | 'assistant-message'>) {
  t.awaiting = false;
  if (e.type === 'text-delta' && batch.next.awaitingTurn === e.turn) batch.next.awaitingTurn = null;
  const last = t.parts.length - 1;
  const open = t.parts[last]?.kind === 'text' && (t.parts[last] as TextPart).open;
  if (!open) {
    batch.pushPart(t, { kind: 'text', key: partKey(t), text: e.text, open: e.type === 'text-delta' });
    return;
  }
  const p = batch.ownPart<TextPart>(t, last);
  if (e.type === 'text-delta') p.text += e.text;
  else {
    p.text = e.text;
    p.open = false;
  }
}

/** A tool's result joins its call's part (or a part of its own, for a call not seen). */
function applyToolResult(batch: Batch, t: TurnBlock, e: Event<'tool-result'>) {
  const result = { value: e.result, mode: e.mode, isError: e.isError, state: e.state };
  const i = toolIndex(t, e.callId);
  if (i === -1) batch.pushPart(t, { ...toolPart(t, e), result });
  else batch.ownPart<ToolPart>(t, i).result = result;
}

/** A red flag is listed on the call that raised it. */
function applyRedFlag(batch: Batch, t: TurnBlock, e: Event<'red-flag'>) {
  const i = toolIndex(t, e.callId);
  if (i === -1) batch.pushPart(t, { ...toolPart(t, e), redFlags: [e.reason] });
  else {
    const p = batch.ownPart<ToolPart>(t, i);
    p.redFlags = [...p.redFlags, e.reason];
  }
}

/** A tool part with no arguments, result or red flags yet (a result or flag can arrive for a call not seen). */
function toolPart(t: TurnBlock, e: { callId: string; tool: string }): ToolPart {
  return { kind: 'tool', key: partKey(t), callId: e.callId, tool: e.tool, args: undefined, result: null, redFlags: [] };
}

function toolIndex(t: TurnBlock, callId: string) {
  return t.parts.findIndex((p) => p.kind === 'tool' && p.callId === callId);
}

/** Where a block sits in the scenario, so two transcripts can be lined up turn by turn. */
export function alignmentKey(block: TranscriptBlock): string | null {
  switch (block.kind) {
    case 'system':
      return 'system';
    case 'document':
      return `document-${block.title}`;
    case 'turn':
      return block.scriptIndex !== null ? `script-${block.scriptIndex}` : `generated-${block.turn}`;
    case 'skipped':
      return `script-${block.scriptIndex}`;
    case 'error':
      return null;
    case 'ended':
      return 'ended';
  }
}
