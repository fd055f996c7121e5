import { toolCallOf, type ChatMessage } from './chat-transcript.ts';
import { ImportError } from './import.plan.ts';
import type { ReadDocument } from './import.read.ts';
import { isRecord } from './openai-tools.import.ts';
import { parsePythonLiteral } from './python-literal.ts';

// Petri's transcript format (v3.0), which Bloom's rollouts also write: `{metadata, events[],
// messages?, target_messages?}`. The target's side of the conversation is `target_messages` when
// the file has it (Petri: its final view), otherwise the events seen by the target: Bloom adds
// messages (`edit.operation: add`, `view` a list), Petri patches a message list (`json_patch` with
// `add` ops, `view` a string). Rollbacks and resets are not replayed; the report says so.

export const KNOWN_TRANSCRIPT_VERSIONS = ['v3.0'];

export interface PetriTranscript {
  metadata: Record<string, unknown>;
  messages: ChatMessage[];
  /** Tool descriptions from `metadata.target_tools` (a list, or Bloom's Python repr of one). */
  toolDescriptions: Record<string, string>;
}

export function readPetriTranscript(doc: ReadDocument, item: string, dropped: string[]): PetriTranscript {
  const value = doc.value;
  if (!isRecord(value) || !isRecord(value.metadata))
    throw new ImportError(doc.at([]), item, 'metadata', 'missing: a Petri/Bloom transcript is {metadata, events}');
  const metadata = value.metadata;
  const version = metadata.version;
  if (typeof version !== 'string' || !KNOWN_TRANSCRIPT_VERSIONS.includes(version))
    throw new ImportError(
      doc.at(['metadata', 'version']),
      item,
      'metadata.version',
      `unknown transcript version ${JSON.stringify(version ?? null)}; Crucible reads ${KNOWN_TRANSCRIPT_VERSIONS.join(', ')}`,
    );
  const messages: ChatMessage[] = [];
  const read = (raw: unknown, path: (string | number)[]) => {
    if (!isRecord(raw) || typeof raw.role !== 'string')
      throw new ImportError(doc.at(path), item, path.join('.'), 'a message needs a role');
    const calls = Array.isArray(raw.tool_calls) ? raw.tool_calls : [];
    messages.push({
      role: raw.role,
      content: raw.content,
      toolCalls: calls.map((c, ci) => {
        const call = toolCallOf(c);
        if (!call)
          throw new ImportError(
            doc.at([...path, 'tool_calls', ci]),
            item,
            `${path.join('.')}.tool_calls[${ci}]`,
            'a tool call needs an id and a function name',
          );
        return call;
      }),
      toolCallId: typeof raw.tool_call_id === 'string' ? raw.tool_call_id : undefined,
      toolName: typeof raw.function === 'string' ? raw.function : undefined,
      at: path.join('.'),
    });
  };
  if (Array.isArray(value.target_messages)) {
    value.target_messages.forEach((m, i) => read(m, ['target_messages', i]));
  } else {
    if (!Array.isArray(value.events))
      throw new ImportError(doc.at(['events']), item, 'events', 'missing or not a list');
    value.events.forEach((event, i) => {
      if (!isRecord(event))
        throw new ImportError(doc.at(['events', i]), item, `events[${i}]`, 'an event must be an object');
      if (event.type !== 'transcript_event') return;
      const view = Array.isArray(event.view) ? event.view : [event.view];
      if (!view.includes('target')) return;
      const edit = event.edit;
      if (!isRecord(edit)) throw new ImportError(doc.at(['events', i, 'edit']), item, `events[${i}].edit`, 'missing');
      if (edit.operation === 'add') read(edit.message, ['events', i, 'edit', 'message']);
      else if (edit.operation === 'json_patch' && Array.isArray(edit.patch)) {
        edit.patch.forEach((p, pi) => {
          if (isRecord(p) && p.op === 'add') read(p.value, ['events', i, 'edit', 'patch', pi, 'value']);
          else
            dropped.push(
              `events[${i}].edit.patch[${pi}]: a "${isRecord(p) ? String(p.op) : '?'}" patch of the target's view: not replayed`,
            );
        });
      } else
        dropped.push(
          `events[${i}]: a "${String(edit.operation)}" edit of the target's view (rollback or reset): not replayed; the messages before it are kept`,
        );
    });
  }
  if (!messages.some((m) => m.role === 'assistant'))
    throw new ImportError(doc.at(['events']), item, 'events', 'holds no message of the target model');
  return { metadata, messages, toolDescriptions: toolDescriptionsOf(metadata.target_tools, dropped) };
}

function toolDescriptionsOf(raw: unknown, dropped: string[]): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  const list = typeof raw === 'string' ? parsePythonLiteral(raw) : raw;
  if (!Array.isArray(list)) {
    dropped.push('metadata.target_tools: neither a list nor a Python repr of one; tool descriptions left out');
    return {};
  }
  return Object.fromEntries(
    list.filter(isRecord).flatMap((t) => (typeof t.name === 'string' ? [[t.name, String(t.description ?? '')]] : [])),
  );
}

/** The judge's scores of a transcript's `metadata.judge_output` (a dict, or a Python repr of one). */
export function judgeOutputOf(metadata: Record<string, unknown>): Record<string, unknown> | null {
  const raw = metadata.judge_output;
  const value = typeof raw === 'string' ? parsePythonLiteral(raw) : raw;
  return isRecord(value) ? value : null;
}
