import { streamText, type ModelMessage, type TextStreamPart, type ToolSet } from 'ai';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { samplingOf, type AnswerCall, type AnswerOutcome } from './answer-call.ts';
import { streamableModelOf, streamedSteps, type StepPart } from './streamed-steps.ts';
import { toolEvents } from './tool-events.ts';

// Streamed answers (dry-runs, watched live): tokens as they arrive, reasoning whole once a block
// ends, tool calls and results between the steps of the tool loop.

/** A part of the answer's stream, from streamed-steps.ts or streamText's fullStream. */
type StreamPart = StepPart | TextStreamPart<ToolSet>;

/**
 * One model answer streamed: its events as the stream gives them, then its outcome. What the
 * model said before a failure stays in the transcript and in the conversation.
 */
export async function* streamedAnswer(
  call: AnswerCall,
  /** Time since the call started, for the first token's. */
  elapsed: () => number,
): AsyncGenerator<TranscriptEvent, AnswerOutcome> {
  const stream = answerStreamOf(call);
  const reply = new StreamedReply(call, elapsed);
  try {
    for await (const part of stream.parts) yield* reply.eventsOf(part);
  } catch (e) {
    reply.failure = e;
  }
  const partial = yield* reply.cutOff();
  if (reply.failure === null) {
    call.messages.push(...(await stream.responseMessages()));
  } else if (partial) {
    // Keep what the model said before the failure, so a later turn still has it in context.
    call.messages.push({ role: 'assistant', content: partial });
  }
  return { usage: reply.usage, failure: reply.failure, ttft: reply.ttft };
}

/** A provider model streams straight from doStream (streamed-steps.ts); anything else through streamText. */
function answerStreamOf(call: AnswerCall): {
  parts: AsyncIterable<StreamPart>;
  responseMessages: () => Promise<ModelMessage[]>;
} {
  const direct = streamableModelOf(call.options.model);
  if (!direct) {
    // Errors arrive as stream parts; the default handler would log them.
    const result = streamText({ ...call.options, onError: () => {} });
    return { parts: result.fullStream, responseMessages: async () => (await result.response).messages };
  }
  const responseMessages: ModelMessage[] = [];
  const parts = streamedSteps({
    model: direct,
    system: call.system,
    messages: call.messages,
    tools: call.stepTools,
    maxSteps: call.maxSteps,
    signal: call.signal,
    stepTimeoutMs: call.timeoutMs,
    maxRetries: call.options.maxRetries,
    settings: { ...samplingOf(call), providerOptions: call.options.providerOptions },
    responseMessages,
  });
  return { parts, responseMessages: async () => responseMessages };
}

/** The events of one streamed answer, part by part, and what it came to (exported for its unit test). */
export class StreamedReply {
  ttft: number | null = null;
  usage = { input: 0, output: 0 };
  failure: unknown = null;
  /** The text of the model step being streamed, sent whole as its assistant-message at the step's end. */
  private stepText = '';
  /** Reasoning blocks still arriving, by id. */
  private readonly reasoning = new Map<string, string>();

  constructor(
    private readonly call: AnswerCall,
    private readonly elapsed: () => number,
  ) {}

  *eventsOf(part: StreamPart): Generator<TranscriptEvent> {
    const { emit, turn } = this.call;
    switch (part.type) {
      // Reasoning is kept whole, as its own event, once the provider has finished a block.
      case 'reasoning-delta':
        this.reasoning.set(part.id, (this.reasoning.get(part.id) ?? '') + part.text);
        break;
      case 'reasoning-end': {
        const text = this.reasoning.get(part.id);
        this.reasoning.delete(part.id);
        if (text) yield emit({ type: 'reasoning', turn, text });
        break;
      }
      case 'text-delta':
        if (this.ttft === null) this.ttft = this.elapsed();
        this.stepText += part.text;
        yield emit({ type: 'text-delta', turn, text: part.text });
        break;
      case 'tool-call':
        yield* this.flushText();
        yield* toolEvents(part, this.call);
        break;
      case 'tool-result':
      case 'tool-error':
        yield* toolEvents(part, this.call);
        break;
      case 'finish-step':
        yield* this.flushText();
        break;
      case 'finish':
        this.usage = { input: part.totalUsage.inputTokens ?? 0, output: part.totalUsage.outputTokens ?? 0 };
        break;
      case 'error':
        this.failure = part.error;
        break;
      case 'abort':
        this.failure = new DOMException('aborted', 'AbortError');
        break;
    }
  }

  /** The end of the stream, finished or cut off mid-thought: what is still open, whole. Returns the step's text. */
  *cutOff(): Generator<TranscriptEvent, string> {
    const { emit, turn } = this.call;
    for (const text of this.reasoning.values()) if (text) yield emit({ type: 'reasoning', turn, text });
    const partial = this.stepText;
    yield* this.flushText();
    return partial;
  }

  private *flushText(): Generator<TranscriptEvent> {
    if (!this.stepText) return;
    const e = this.call.emit({ type: 'assistant-message', turn: this.call.turn, text: this.stepText });
    this.stepText = '';
    yield e;
  }
}
