import { createRequire } from 'node:module';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';
import type { LanguageModel, LanguageModelResponseMetadata, LanguageModelUsage, ModelMessage } from 'ai';

// One model call without tools, straight to the provider model (`doGenerate`), for the run engine.
// generateText costs about 0.3 ms of CPU a call on top of the provider's own work (it re-validates
// the whole history with zod, scans it for files to download, builds telemetry spans and a step
// loop), which is a fifth of the engine's budget per call (issue 20). For a plain conversation (text
// in, text out) this sends the same request generateText sends: the same prompt as its
// convertToLanguageModelPrompt makes, the same call settings, headers (its `ai/<version>` user
// agent) and step timeout, through the same middleware (call retries, redaction), and gives back
// the same response messages. tests/runs/run-plain-generate.test.ts holds the two paths to the same
// wire requests and events; anything else (tools, files, images, system messages in the history,
// a model that is not a V3 object) returns null from plainPromptOf and goes through generateText.

const AI_VERSION = (createRequire(import.meta.url)('ai/package.json') as { version: string }).version;
const HEADERS = { 'user-agent': `ai/${AI_VERSION}` };

/** The provider prompt for a system text and a history of text-only messages, or null when it holds more. */
export function plainPromptOf(
  system: string | undefined,
  messages: readonly ModelMessage[],
): LanguageModelV3Prompt | null {
  const prompt: LanguageModelV3Prompt = system === undefined ? [] : [{ role: 'system', content: system }];
  for (const message of messages) {
    if (message.role === 'user') {
      if (typeof message.content === 'string') {
        prompt.push({
          role: 'user',
          content: [{ type: 'text', text: message.content }],
          providerOptions: message.providerOptions,
        });
        continue;
      }
      const content = [];
      for (const part of message.content) {
        if (part.type !== 'text') return null;
        if (part.text !== '')
          content.push({ type: 'text' as const, text: part.text, providerOptions: part.providerOptions });
      }
      prompt.push({ role: 'user', content, providerOptions: message.providerOptions });
    } else if (message.role === 'assistant') {
      if (typeof message.content === 'string') {
        prompt.push({
          role: 'assistant',
          content: [{ type: 'text', text: message.content }],
          providerOptions: message.providerOptions,
        });
        continue;
      }
      const content = [];
      for (const part of message.content) {
        if (part.type !== 'text' && part.type !== 'reasoning') return null;
        // generateText drops empty texts (without provider options), not empty reasoning.
        if (part.type === 'text' && part.text === '' && part.providerOptions == null) continue;
        content.push({ type: part.type, text: part.text, providerOptions: part.providerOptions });
      }
      prompt.push({ role: 'assistant', content, providerOptions: message.providerOptions });
    } else return null;
  }
  return prompt;
}

/** The model as a V3 provider model, when it is one (a model id string goes through generateText). */
export function plainModelOf(model: LanguageModel): LanguageModelV3 | null {
  return typeof model === 'object' && model.specificationVersion === 'v3' ? model : null;
}

export interface PlainCall {
  prompt: LanguageModelV3Prompt;
  settings: Pick<LanguageModelV3CallOptions, 'temperature' | 'maxOutputTokens' | 'topP' | 'seed' | 'responseFormat'>;
  providerOptions?: LanguageModelV3CallOptions['providerOptions'];
  abortSignal: AbortSignal | undefined;
  /** Aborts the call with generateText's TimeoutError after this long. */
  timeoutMs: number;
  /** A step timeout (a conversation turn's) or a total one (the judge's): worded as generateText words each. */
  timeoutKind: 'step' | 'total';
}

/** What generateText's single step would give: its text and reasoning parts, the response messages, the usage. */
export interface PlainAnswer {
  parts: { type: 'text' | 'reasoning'; text: string }[];
  /** The assistant message to carry into the history (none when the answer was empty). */
  responseMessages: ModelMessage[];
  /** The text parts joined, as generateText's `text`. */
  text: string;
  usage: LanguageModelUsage;
  finishReason: LanguageModelV3FinishReason['unified'];
  response: LanguageModelResponseMetadata;
}

/** One call to the provider model, on a signal of its own (linked to the caller's, released when it ends). */
export async function plainGenerate(model: LanguageModelV3, call: PlainCall): Promise<PlainAnswer> {
  const own = new AbortController();
  const parent = call.abortSignal;
  const relay = () => own.abort(parent!.reason);
  if (parent?.aborted) own.abort(parent.reason);
  else parent?.addEventListener('abort', relay, { once: true });
  const timer = setTimeout(() => {
    const message =
      call.timeoutKind === 'step'
        ? `Step timeout of ${call.timeoutMs}ms exceeded` // generateText's step timer
        : 'The operation was aborted due to timeout'; // AbortSignal.timeout, its total timeout
    own.abort(new DOMException(message, 'TimeoutError'));
  }, call.timeoutMs);
  try {
    own.signal.throwIfAborted();
    const result = await model.doGenerate({
      ...call.settings,
      prompt: call.prompt,
      providerOptions: call.providerOptions,
      abortSignal: own.signal,
      headers: HEADERS,
    });
    const parts: PlainAnswer['parts'] = [];
    const kept = [];
    for (const part of result.content) {
      if (part.type !== 'text' && part.type !== 'reasoning') continue;
      parts.push({ type: part.type, text: part.text });
      if (part.type === 'text' && part.text.length === 0) continue;
      kept.push({ type: part.type, text: part.text, providerOptions: part.providerMetadata });
    }
    const { inputTokens, outputTokens } = result.usage;
    return {
      parts,
      responseMessages: kept.length > 0 ? [{ role: 'assistant', content: kept }] : [],
      text: parts.map((p) => (p.type === 'text' ? p.text : '')).join(''),
      usage: {
        inputTokens: inputTokens.total,
        inputTokenDetails: {
          noCacheTokens: inputTokens.noCache,
          cacheReadTokens: inputTokens.cacheRead,
          cacheWriteTokens: inputTokens.cacheWrite,
        },
        outputTokens: outputTokens.total,
        outputTokenDetails: { textTokens: outputTokens.text, reasoningTokens: outputTokens.reasoning },
        totalTokens:
          inputTokens.total === undefined && outputTokens.total === undefined
            ? undefined
            : (inputTokens.total ?? 0) + (outputTokens.total ?? 0),
      },
      finishReason: result.finishReason.unified,
      response: {
        id: result.response?.id ?? '',
        timestamp: result.response?.timestamp ?? new Date(),
        modelId: result.response?.modelId ?? model.modelId,
      },
    };
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', relay);
  }
}
