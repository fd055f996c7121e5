import type { ModelMessage } from 'ai';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { answerCallOf } from './answer-call.ts';
import type { ConversationInput } from './conversation.ts';
import { classifyProviderError } from './provider-errors.ts';
import { streamedAnswer } from './streamed-answer.ts';
import { wholeAnswer } from './whole-answer.ts';

// One model answer: a call to the target with the conversation so far, its tool loop (simulated
// results, red flags), streamed or whole, as transcript events. Split from conversation.ts, which
// decides what is sent when; the call is settled in answer-call.ts, and read in whole-answer.ts
// or streamed-answer.ts.

/** One model answer to the latest user turn, with its tool loop. */
export async function* modelAnswer(
  input: ConversationInput,
  system: string,
  messages: ModelMessage[],
  events: readonly TranscriptEvent[],
  emit: (e: TranscriptEvent) => TranscriptEvent,
  turn: number,
  now: () => number,
  /** Model steps this call may take (autonomous mode takes one at a time); default: input.maxToolSteps. */
  maxSteps?: number,
): AsyncGenerator<TranscriptEvent, { fatal: boolean; inputTokens: number; outputTokens: number }> {
  const call = answerCallOf(input, system, messages, events, { emit, turn }, maxSteps);
  const started = now();
  const { usage, failure, ttft } =
    input.stream === false ? yield* wholeAnswer(call) : yield* streamedAnswer(call, () => now() - started);
  yield emit({
    type: 'usage',
    turn,
    inputTokens: usage.input,
    outputTokens: usage.output,
    latencyMs: now() - started,
    ttftMs: ttft,
  });

  if (failure !== null) {
    if (input.signal.aborted) throw failure;
    const c = classifyProviderError(failure, { stoppedByUser: false, timeoutMs: call.timeoutMs });
    yield emit({ type: 'error', turn, code: c.code, message: c.message, fatal: true });
    return { fatal: true, inputTokens: usage.input, outputTokens: usage.output };
  }
  return { fatal: false, inputTokens: usage.input, outputTokens: usage.output };
}
