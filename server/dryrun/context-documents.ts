import type { ModelMessage, UserContent } from 'ai';
import type { Scenario } from '../../schema/scenario.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';

// Where each context document reaches the model. The placement decides whose authority a
// document carries: the operator's (system prompt), the user's (an attachment), or nobody's (a
// tool result the model fetched), which is what robustness and injection scenarios measure.

type Document = NonNullable<Scenario['target']['context']>[number];

const documentsIn = (scenario: Scenario, placement: Document['placement']) =>
  (scenario.target.context ?? []).filter((d) => d.placement === placement);

const asBlock = (d: Document) => `<document title=${JSON.stringify(d.title)}>\n${d.content.trimEnd()}\n</document>`;

/** The operator prompt, then the documents placed in the system prompt. */
export function systemPromptOf(scenario: Scenario): string {
  const docs = documentsIn(scenario, 'system-prompt');
  if (docs.length === 0) return scenario.target.system.trimEnd();
  return `${scenario.target.system.trimEnd()}\n\nDocuments available in this conversation:\n\n${docs.map(asBlock).join('\n\n')}`;
}

/** The synthetic call id of the tool-result document at `index` of `target.context`. */
const callIdOf = (index: number) => `context_document_${index}`;

/**
 * The tool calls the model "already made" before the first user turn (one assistant message
 * with every call, then their results), for documents placed as tool results.
 */
export function openingToolMessages(scenario: Scenario): ModelMessage[] {
  const calls = (scenario.target.context ?? [])
    .map((d, i) => ({ d, callId: callIdOf(i) }))
    .filter(({ d }) => d.placement === 'tool-result');
  if (calls.length === 0) return [];
  return [
    {
      role: 'assistant',
      content: calls.map(({ d, callId }) => ({
        type: 'tool-call' as const,
        toolCallId: callId,
        toolName: d.tool!,
        input: d.arguments ?? {},
      })),
    },
    {
      role: 'tool',
      content: calls.map(({ d, callId }) => ({
        type: 'tool-result' as const,
        toolCallId: callId,
        toolName: d.tool!,
        output: { type: 'text' as const, value: d.content },
      })),
    },
  ];
}

/** The first user message: the user's attachments (as text blocks), then what they wrote. */
export function firstUserContent(scenario: Scenario, content: string): UserContent {
  const attachments = documentsIn(scenario, 'user-attachment');
  if (attachments.length === 0) return content;
  return [
    ...attachments.map((d) => ({
      type: 'text' as const,
      text: `<attachment title=${JSON.stringify(d.title)}>\n${d.content.trimEnd()}\n</attachment>`,
    })),
    { type: 'text' as const, text: content },
  ];
}

/** A transcript event for each document not in the system prompt (those are in the `system` event). */
export function documentEvents(scenario: Scenario): Extract<TranscriptEvent, { type: 'document' }>[] {
  return (scenario.target.context ?? []).flatMap((d, i) =>
    d.placement === 'system-prompt'
      ? []
      : [
          {
            type: 'document' as const,
            placement: d.placement,
            title: d.title,
            content: d.content,
            tool: d.tool ?? null,
            args: d.placement === 'tool-result' ? (d.arguments ?? {}) : null,
            callId: d.placement === 'tool-result' ? callIdOf(i) : null,
          },
        ],
  );
}
