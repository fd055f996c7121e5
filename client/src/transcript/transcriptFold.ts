import type { TranscriptEvent } from '../../../schema/transcript.ts';

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
  const next: TranscriptView = { ...view, blocks: view.blocks.slice() };
  const blocks = next.blocks;
  const fresh = new WeakSet<object>(); // objects created in this batch: safe to change in place

  const turnAt = (turn: number): TurnBlock | null => {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      if (b.kind === 'turn' && b.turn === turn) {
        if (fresh.has(b)) return b;
        const copy: TurnBlock = { ...b, parts: b.parts.slice() };
        fresh.add(copy);
        blocks[i] = copy;
        return copy;
      }
    }
    return null;
  };
  const ownPart = <P extends ReplyPart>(turn: TurnBlock, index: number): P => {
    const p = turn.parts[index]!;
    if (fresh.has(p)) return p as P;
    const copy = { ...p } as P;
    fresh.add(copy);
    turn.parts[index] = copy;
    return copy;
  };
  const partKey = (turn: TurnBlock) => `${turn.key}-p${turn.parts.length}`;
  const pushPart = (turn: TurnBlock, part: ReplyPart) => {
    fresh.add(part);
    turn.parts.push(part);
  };
  const toolIndex = (turn: TurnBlock, callId: string) =>
    turn.parts.findIndex((p) => p.kind === 'tool' && p.callId === callId);

  for (const e of events) {
    next.eventCount++;
    switch (e.type) {
      case 'start':
        next.start = e;
        break;
      case 'system':
        blocks.push({ kind: 'system', key: 'system', content: e.content });
        break;
      case 'document':
        blocks.push({
          kind: 'document',
          key: `d${next.eventCount}`,
          placement: e.placement,
          title: e.title,
          content: e.content,
          tool: e.tool,
          args: e.args,
        });
        break;
      case 'turn-start': {
        const block: TurnBlock = {
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
        fresh.add(block);
        blocks.push(block);
        break;
      }
      case 'turn-skipped':
        blocks.push({
          kind: 'skipped',
          key: `s${e.scriptIndex}`,
          scriptIndex: e.scriptIndex,
          content: e.content,
          tactic: e.tactic,
          condition: e.condition,
          reason: e.reason,
        });
        break;
      case 'awaiting-reply': {
        const t = turnAt(e.turn);
        if (t) t.awaiting = true;
        next.awaitingTurn = e.turn;
        break;
      }
      case 'text-delta': {
        const t = turnAt(e.turn);
        if (!t) break;
        t.awaiting = false;
        if (next.awaitingTurn === e.turn) next.awaitingTurn = null;
        const last = t.parts.length - 1;
        const lastPart = t.parts[last];
        if (lastPart?.kind === 'text' && lastPart.open) {
          const p = ownPart<Extract<ReplyPart, { kind: 'text' }>>(t, last);
          p.text += e.text;
        } else {
          pushPart(t, { kind: 'text', key: partKey(t), text: e.text, open: true });
        }
        break;
      }
      case 'assistant-message': {
        // The whole text of one model step: it closes the streamed part (and is the truth for it).
        const t = turnAt(e.turn);
        if (!t) break;
        t.awaiting = false;
        const last = t.parts.length - 1;
        const lastPart = t.parts[last];
        if (lastPart?.kind === 'text' && lastPart.open) {
          const p = ownPart<Extract<ReplyPart, { kind: 'text' }>>(t, last);
          p.text = e.text;
          p.open = false;
        } else {
          pushPart(t, { kind: 'text', key: partKey(t), text: e.text, open: false });
        }
        break;
      }
      case 'scripted-assistant': {
        const t = turnAt(e.turn);
        if (t) pushPart(t, { kind: 'scripted', key: partKey(t), text: e.content, prefill: e.prefill });
        break;
      }
      case 'autonomous-end':
        blocks.push({ kind: 'ended', key: 'ended', reason: e.reason, detail: e.detail, steps: e.steps });
        break;
      case 'reasoning': {
        const t = turnAt(e.turn);
        if (!t) break;
        closeOpenText(t, ownPart);
        pushPart(t, { kind: 'reasoning', key: partKey(t), text: e.text });
        break;
      }
      case 'tool-call': {
        const t = turnAt(e.turn);
        if (!t) break;
        closeOpenText(t, ownPart);
        pushPart(t, {
          kind: 'tool',
          key: partKey(t),
          callId: e.callId,
          tool: e.tool,
          args: e.args,
          result: null,
          redFlags: [],
        });
        break;
      }
      case 'tool-result': {
        const t = turnAt(e.turn);
        if (!t) break;
        const i = toolIndex(t, e.callId);
        const result = { value: e.result, mode: e.mode, isError: e.isError, state: e.state };
        if (i === -1)
          pushPart(t, {
            kind: 'tool',
            key: partKey(t),
            callId: e.callId,
            tool: e.tool,
            args: undefined,
            result,
            redFlags: [],
          });
        else ownPart<Extract<ReplyPart, { kind: 'tool' }>>(t, i).result = result;
        break;
      }
      case 'red-flag': {
        next.redFlags++;
        const t = turnAt(e.turn);
        if (!t) break;
        const i = toolIndex(t, e.callId);
        if (i === -1) {
          pushPart(t, {
            kind: 'tool',
            key: partKey(t),
            callId: e.callId,
            tool: e.tool,
            args: undefined,
            result: null,
            redFlags: [e.reason],
          });
        } else {
          const p = ownPart<Extract<ReplyPart, { kind: 'tool' }>>(t, i);
          p.redFlags = [...p.redFlags, e.reason];
        }
        break;
      }
      case 'usage': {
        const t = turnAt(e.turn);
        if (!t) break;
        closeOpenText(t, ownPart);
        t.usage = {
          inputTokens: e.inputTokens,
          outputTokens: e.outputTokens,
          latencyMs: e.latencyMs,
          ttftMs: e.ttftMs,
        };
        break;
      }
      case 'error': {
        if (e.fatal) next.fatal = { code: e.code, message: e.message };
        const t = e.turn === null ? null : turnAt(e.turn);
        if (t) {
          closeOpenText(t, ownPart);
          pushPart(t, { kind: 'error', key: partKey(t), code: e.code, message: e.message, fatal: e.fatal });
        } else {
          blocks.push({ kind: 'error', key: `e${next.eventCount}`, code: e.code, message: e.message, fatal: e.fatal });
        }
        break;
      }
      case 'done':
        next.done = e;
        next.awaitingTurn = null;
        for (let i = 0; i < blocks.length; i++) {
          const b = blocks[i]!;
          if (b.kind === 'turn' && (b.awaiting || b.parts.some((p) => p.kind === 'text' && p.open))) {
            const t = turnAt(b.turn)!;
            t.awaiting = false;
            closeOpenText(t, ownPart);
          }
        }
        break;
    }
  }
  return next;
}

function closeOpenText(t: TurnBlock, ownPart: <P extends ReplyPart>(turn: TurnBlock, index: number) => P) {
  t.parts.forEach((p, i) => {
    if (p.kind === 'text' && p.open) ownPart<Extract<ReplyPart, { kind: 'text' }>>(t, i).open = false;
  });
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
