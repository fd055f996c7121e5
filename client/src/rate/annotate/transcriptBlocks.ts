import type { AnnotatorEvent } from '../../../../schema/api/annotation.ts';
import type { TranscriptEvent } from '../../../../schema/transcript.ts';

// A stored transcript as something to read: one pass over its events into turns (the user's
// message, then the model's messages and tool calls in order), skipped turns and errors. Token
// deltas are ignored: every reply is also stored whole as an assistant message.

type Event<T extends TranscriptEvent['type']> = Extract<TranscriptEvent, { type: T }>;

export interface ToolPart {
  kind: 'tool';
  callId: string;
  tool: string;
  args: unknown;
  result: { value: unknown; mode: Event<'tool-result'>['mode']; isError: boolean } | null;
  redFlags: string[];
}

export type ReplyPart =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | ToolPart
  | { kind: 'error'; code: string; message: string };

export interface TurnBlock {
  kind: 'turn';
  turn: number;
  source: 'scripted' | 'generated';
  content: string;
  parts: ReplyPart[];
}

export type ReaderBlock =
  | { kind: 'system'; content: string }
  | { kind: 'document'; placement: Event<'document'>['placement']; title: string; content: string; tool: string | null }
  | TurnBlock
  | { kind: 'skipped'; scriptIndex: number; content: string; condition: string; reason: string }
  | { kind: 'error'; code: string; message: string };

export interface ReadableTranscript {
  blocks: ReaderBlock[];
  turns: number;
  toolCalls: number;
  redFlags: number;
  /** How the run ended, when it did. */
  status: Event<'done'>['status'] | null;
}

/** A whole stored transcript (the studio), or the annotator's cut of one (no model, tokens, cost or timing). */
export type ReadableEvent = TranscriptEvent | AnnotatorEvent;

export function readTranscript(events: readonly ReadableEvent[]): ReadableTranscript {
  const blocks: ReaderBlock[] = [];
  const turns = new Map<number, TurnBlock>();
  const calls = new Map<string, ToolPart>();
  let toolCalls = 0;
  let redFlags = 0;
  let status: ReadableTranscript['status'] = null;
  const turnOf = (turn: number | null) => (turn === null ? undefined : turns.get(turn));

  for (const e of events) {
    switch (e.type) {
      case 'system':
        blocks.push({ kind: 'system', content: e.content });
        break;
      case 'document':
        blocks.push({ kind: 'document', placement: e.placement, title: e.title, content: e.content, tool: e.tool });
        break;
      case 'turn-start': {
        const block: TurnBlock = { kind: 'turn', turn: e.turn, source: e.source, content: e.content, parts: [] };
        turns.set(e.turn, block);
        blocks.push(block);
        break;
      }
      case 'turn-skipped':
        blocks.push({
          kind: 'skipped',
          scriptIndex: e.scriptIndex,
          content: e.content,
          condition: e.condition,
          reason: e.reason,
        });
        break;
      case 'assistant-message':
        turnOf(e.turn)?.parts.push({ kind: 'text', text: e.text });
        break;
      case 'reasoning':
        turnOf(e.turn)?.parts.push({ kind: 'reasoning', text: e.text });
        break;
      case 'tool-call': {
        const part: ToolPart = {
          kind: 'tool',
          callId: e.callId,
          tool: e.tool,
          args: e.args,
          result: null,
          redFlags: [],
        };
        calls.set(e.callId, part);
        turnOf(e.turn)?.parts.push(part);
        toolCalls++;
        break;
      }
      case 'tool-result': {
        const part = calls.get(e.callId);
        if (part) part.result = { value: e.result, mode: e.mode, isError: e.isError };
        break;
      }
      case 'red-flag': {
        calls.get(e.callId)?.redFlags.push(e.reason);
        redFlags++;
        break;
      }
      case 'error': {
        const turn = turnOf(e.turn);
        if (turn) turn.parts.push({ kind: 'error', code: e.code, message: e.message });
        else blocks.push({ kind: 'error', code: e.code, message: e.message });
        break;
      }
      case 'done':
        status = e.status;
        break;
      default:
        break; // start (the model is hidden from annotators), token deltas, usage
    }
  }
  return { blocks, turns: turns.size, toolCalls, redFlags, status };
}

/** A value as short text: strings as they are, small objects on one line, larger ones indented. */
export function formatValue(value: unknown): { text: string; long: boolean } {
  if (typeof value === 'string') return { text: value, long: value.length > 280 || value.includes('\n') };
  if (value === undefined) return { text: '', long: false };
  const oneLine = JSON.stringify(value) ?? String(value);
  if (oneLine.length <= 160) return { text: oneLine, long: false };
  return { text: JSON.stringify(value, null, 2), long: true };
}

/**
 * A tool call's arguments as a call: `lookup({"metric":"ltv_cac"})` reads better as
 * `lookup(metric: "ltv_cac")`; anything nested or long is shown as indented JSON instead.
 */
export function formatArgs(args: unknown): { inline: string | null; block: string | null } {
  if (args && typeof args === 'object' && !Array.isArray(args)) {
    const entries = Object.entries(args as Record<string, unknown>);
    const simple = entries.every(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    const inline = entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
    if (simple && inline.length <= 120 && !inline.includes('\\n')) return { inline, block: null };
  }
  if (args === undefined || args === null) return { inline: '', block: null };
  return { inline: null, block: JSON.stringify(args, null, 2) };
}
