import type { TranscriptEvent } from '../../schema/transcript.ts';
import { oneLine } from './import.draft.ts';
import { isRecord } from './openai-tools.import.ts';

// Bloom, Petri and Inspect all keep the target's side of a conversation as chat messages (role,
// content as a string or a list of parts, tool calls, tool results). This turns such a list into
// Crucible transcript events: the system prompt, each user message a turn, the model's text,
// reasoning and tool calls, and tool results as the source's simulator gave them.

/** A chat message as the three formats share it, already read. */
export interface ChatMessage {
  role: string;
  content: unknown;
  toolCalls?: { id: string; name: string; args: unknown }[];
  toolCallId?: string;
  /** A tool message's function name, where the source gives it. */
  toolName?: string;
  /** Where it is in the source, for the report (`messages[3]`). */
  at: string;
}

export interface ChatTranscript {
  events: TranscriptEvent[];
  system: string;
  /** The user messages with text, in order: the scenario's turns. */
  userTurns: string[];
  /** Tools the model called, by name. */
  toolNames: string[];
}

/** The transcript events of a message list; whatever cannot be carried (images, audio) is reported in `dropped`. */
export function chatTranscript(messages: readonly ChatMessage[], dropped: string[]): ChatTranscript {
  const events: TranscriptEvent[] = [];
  const systems: string[] = [];
  const userTurns: string[] = [];
  const callNames = new Map<string, string>();
  let turn = -1;
  let emptyUser = 0;
  const at = () => Math.max(turn, 0);
  for (const m of messages) {
    const { text, reasoning } = partsOf(m.content, m.at, dropped);
    if (m.role === 'system') {
      if (turn >= 0)
        dropped.push(
          `${m.at}: a system message after the first turn (${oneLine(text, 60)}): kept as text only at the start`,
        );
      systems.push(text);
    } else if (m.role === 'user') {
      if (text.trim() === '') {
        emptyUser++;
        continue;
      }
      turn++;
      userTurns.push(text);
      events.push({
        type: 'turn-start',
        turn,
        source: 'scripted',
        scriptIndex: userTurns.length - 1,
        content: text,
        tactic: null,
        condition: null,
        conditionReason: null,
      });
    } else if (m.role === 'assistant') {
      for (const r of reasoning) events.push({ type: 'reasoning', turn: at(), text: r });
      if (text.trim() !== '') events.push({ type: 'assistant-message', turn: at(), text });
      for (const call of m.toolCalls ?? []) {
        callNames.set(call.id, call.name);
        events.push({ type: 'tool-call', turn: at(), callId: call.id, tool: call.name, args: call.args });
      }
    } else if (m.role === 'tool') {
      const callId = m.toolCallId ?? '';
      events.push({
        type: 'tool-result',
        turn: at(),
        callId,
        tool: m.toolName ?? callNames.get(callId) ?? 'unknown',
        result: text,
        mode: 'simulator',
        isError: false,
      });
    } else {
      dropped.push(`${m.at}: a message with role "${m.role}": not a role of a Crucible transcript`);
    }
  }
  if (emptyUser > 0)
    dropped.push(`${emptyUser} empty user message(s) (continuation prompts with no text): not shown as turns`);
  const system = systems.join('\n\n');
  return {
    events: system ? [{ type: 'system', content: system }, ...events] : events,
    system,
    userTurns,
    toolNames: [...new Set(callNames.values())],
  };
}

/** Text and reasoning of a message's content (a string, or a list of parts); other parts are reported. */
function partsOf(content: unknown, where: string, dropped: string[]): { text: string; reasoning: string[] } {
  if (typeof content === 'string') return { text: content, reasoning: [] };
  if (content === null || content === undefined) return { text: '', reasoning: [] };
  if (!Array.isArray(content)) {
    dropped.push(`${where}: content of type ${typeof content}: kept as JSON text`);
    return { text: JSON.stringify(content), reasoning: [] };
  }
  const texts: string[] = [];
  const reasoning: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else if (isRecord(part) && part.type === 'reasoning' && typeof part.reasoning === 'string') {
      if (part.redacted === true)
        dropped.push(`${where}: a redacted reasoning part (the provider returned it encrypted)`);
      else reasoning.push(part.reasoning);
    } else
      dropped.push(
        `${where}: a ${isRecord(part) ? String(part.type) : typeof part} content part: transcripts carry text only`,
      );
  }
  return { text: texts.join('\n\n'), reasoning };
}

/** A tool call as the formats write it: `{id, function, arguments}` (Bloom, Petri, Inspect). */
export function toolCallOf(value: unknown): { id: string; name: string; args: unknown } | null {
  if (!isRecord(value)) return null;
  const fn = value.function;
  const name = typeof fn === 'string' ? fn : isRecord(fn) && typeof fn.name === 'string' ? fn.name : null;
  if (typeof value.id !== 'string' || !name) return null;
  let args: unknown = value.arguments ?? (isRecord(fn) ? fn.arguments : undefined) ?? {};
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args) as unknown;
    } catch {
      /* kept as the string it is */
    }
  }
  return { id: value.id, name, args };
}

/**
 * The audited model and start time from a transcript's `metadata` (Petri's transcript format, which
 * Bloom's rollouts share): 'unknown' and the epoch when absent, so an import never invents them.
 */
export function auditedRun(meta: Record<string, unknown>): { model: string; startedAt: string } {
  return {
    model: typeof meta.target_model === 'string' ? meta.target_model : 'unknown',
    startedAt: typeof meta.created_at === 'string' ? meta.created_at : new Date(0).toISOString(),
  };
}
