import { generateText } from 'ai';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { plainGenerate, plainModelOf, plainPromptOf } from '../models/plain-generate.ts';
import { samplingOf, type AnswerCall, type AnswerOutcome } from './answer-call.ts';
import { toolEvents } from './tool-events.ts';

// Whole answers (benchmark runs, where nobody watches): the same events as a streamed answer,
// without the cost of token streaming.

/** One model answer read whole: its events, then its outcome; the answer's messages join the conversation. */
export async function* wholeAnswer(call: AnswerCall): AsyncGenerator<TranscriptEvent, AnswerOutcome> {
  try {
    // A plain turn (no tools, nothing but text, the caller retrying calls itself) goes straight to
    // the provider model: the same request, a fifth of the engine's CPU a call less (plain-generate.ts).
    const plainModel =
      call.options.maxRetries === 0 && !call.scenario.tools?.length && plainModelOf(call.options.model);
    const plainPrompt = plainModel ? plainPromptOf(call.system, call.messages) : null;
    const usage =
      plainModel && plainPrompt ? yield* plainAnswer(call, plainModel, plainPrompt) : yield* generatedAnswer(call);
    return { usage, failure: null, ttft: null };
  } catch (e) {
    return { usage: { input: 0, output: 0 }, failure: e, ttft: null };
  }
}

/** Straight on the provider model (plain-generate.ts). */
async function* plainAnswer(
  call: AnswerCall,
  model: Exclude<ReturnType<typeof plainModelOf>, null>,
  prompt: Exclude<ReturnType<typeof plainPromptOf>, null>,
): AsyncGenerator<TranscriptEvent, AnswerOutcome['usage']> {
  const { emit, turn } = call;
  const answer = await plainGenerate(model, {
    prompt,
    settings: samplingOf(call),
    providerOptions: call.options.providerOptions,
    abortSignal: call.signal,
    timeoutMs: call.timeoutMs,
    timeoutKind: 'step',
  });
  for (const part of answer.parts)
    if (part.text)
      yield emit({ type: part.type === 'text' ? 'assistant-message' : 'reasoning', turn, text: part.text });
  call.messages.push(...answer.responseMessages);
  return { input: answer.usage.inputTokens ?? 0, output: answer.usage.outputTokens ?? 0 };
}

/** Through the AI SDK's generateText, with its tool loop. */
async function* generatedAnswer(call: AnswerCall): AsyncGenerator<TranscriptEvent, AnswerOutcome['usage']> {
  const { emit, turn } = call;
  const result = await generateText(call.options);
  for (const step of result.steps) {
    for (const part of step.content) {
      if (part.type === 'text') {
        if (part.text) yield emit({ type: 'assistant-message', turn, text: part.text });
      } else if (part.type === 'reasoning') {
        if (part.text) yield emit({ type: 'reasoning', turn, text: part.text });
      } else if (part.type === 'tool-call' || part.type === 'tool-result' || part.type === 'tool-error') {
        yield* toolEvents(part, call);
      }
    }
  }
  call.messages.push(...result.response.messages);
  return { input: result.totalUsage.inputTokens ?? 0, output: result.totalUsage.outputTokens ?? 0 };
}
