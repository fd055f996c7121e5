import { createRequire } from 'node:module';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  SharedV3ProviderMetadata,
} from '@ai-sdk/provider';
import { APICallError, RetryError, type LanguageModel, type ModelMessage } from 'ai';

// A dry-run's streamed answer with its tool loop, straight on the provider model's doStream. The
// AI SDK's streamText costs about 3.5 ms of CPU a call more than doStream alone for a 20-token
// answer (issue 20: it pipes every token through a dozen web streams, tees them, validates and
// records each step), which was most of a dry-run's 24 ms of server CPU per answered turn. This
// sends the request streamText sends (the same prompt, tools, settings, step timeout, retries and
// middleware) and yields the parts streamed-answer.ts reads from streamText's fullStream, in its shapes.

const AI_VERSION = (createRequire(import.meta.url)('ai/package.json') as { version: string }).version;
const HEADERS = { 'user-agent': `ai/${AI_VERSION}` };

/** The fullStream parts streamed-answer.ts reads, as streamText gives them. */
export type StepPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; id: string; text: string }
  | { type: 'reasoning-end'; id: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-result'; toolCallId: string; toolName: string; input: unknown; output: unknown }
  | { type: 'tool-error'; toolCallId: string; toolName: string; input: unknown; error: unknown }
  | { type: 'finish-step' }
  | { type: 'finish'; totalUsage: { inputTokens: number; outputTokens: number } }
  | { type: 'error'; error: unknown }
  | { type: 'abort' };

/** A tool the model may call: its schema, and what a call returns (a simulated result). */
export interface StepTool {
  description: string;
  parameters: LanguageModelV3FunctionTool['inputSchema'];
  execute: (input: unknown, toolCallId: string) => Promise<unknown>;
}

export interface StreamedStepsInput {
  model: LanguageModelV3;
  system: string;
  messages: readonly ModelMessage[];
  tools: Record<string, StepTool>;
  maxSteps: number;
  signal: AbortSignal;
  stepTimeoutMs: number;
  maxRetries: number;
  settings: Pick<LanguageModelV3CallOptions, 'temperature' | 'maxOutputTokens' | 'topP' | 'seed' | 'providerOptions'>;
  /** Receives the assistant and tool messages of the steps that completed (streamText's response.messages). */
  responseMessages: ModelMessage[];
}

/** The model as a V3 provider model, when it is one (anything else goes through streamText). */
export function streamableModelOf(model: LanguageModel): LanguageModelV3 | null {
  return typeof model === 'object' && model.specificationVersion === 'v3' ? model : null;
}

/** Runs the steps (model call, tool calls, model again) and yields their parts as they stream. */
export async function* streamedSteps(input: StreamedStepsInput): AsyncGenerator<StepPart> {
  const tools: LanguageModelV3FunctionTool[] = Object.entries(input.tools).map(([name, t]) => ({
    type: 'function',
    name,
    description: t.description,
    inputSchema: t.parameters,
  }));
  const history = providerPromptOf(input.system, input.messages);
  const usage = { inputTokens: 0, outputTokens: 0 };
  for (let step = 1; ; step++) {
    const stepSignal = new StepSignal(input.signal, input.stepTimeoutMs);
    const content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'] = [];
    const results: Extract<LanguageModelV3Message, { role: 'tool' }>['content'] = [];
    const reasoning = new Map<string, { text: string; metadata?: SharedV3ProviderMetadata }>();
    let text = '';
    let toolCalls = 0;
    try {
      const { stream } = await withRetries(input.maxRetries, stepSignal.signal, () =>
        input.model.doStream({
          ...input.settings,
          prompt: history,
          tools: tools.length > 0 ? tools : undefined,
          toolChoice: tools.length > 0 ? { type: 'auto' } : undefined,
          abortSignal: stepSignal.signal,
          headers: HEADERS,
        }),
      );
      const reader = stream.getReader();
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        if (part.type === 'text-delta') {
          if (part.delta === '') continue;
          text += part.delta;
          yield { type: 'text-delta', text: part.delta };
        } else if (part.type === 'reasoning-start' || part.type === 'reasoning-delta') {
          const r = reasoning.get(part.id) ?? { text: '' };
          if (part.type === 'reasoning-delta') r.text += part.delta;
          r.metadata = part.providerMetadata ?? r.metadata; // Anthropic's signature comes on a delta
          reasoning.set(part.id, r);
          if (part.type === 'reasoning-delta' && part.delta !== '')
            yield { type: 'reasoning-delta', id: part.id, text: part.delta };
        } else if (part.type === 'reasoning-end') {
          const r = reasoning.get(part.id) ?? { text: '' };
          reasoning.delete(part.id);
          content.push({ type: 'reasoning', text: r.text, providerOptions: part.providerMetadata ?? r.metadata });
          yield { type: 'reasoning-end', id: part.id };
        } else if (part.type === 'tool-call') {
          if (text) content.push({ type: 'text', text });
          text = '';
          toolCalls++;
          yield* callTool(part, input.tools, content, results);
        } else if (part.type === 'finish') {
          usage.inputTokens += part.usage.inputTokens.total ?? 0;
          usage.outputTokens += part.usage.outputTokens.total ?? 0;
        } else if (part.type === 'error') {
          await reader.cancel().catch(() => {});
          throw part.error;
        }
      }
    } catch (e) {
      yield input.signal.aborted ? { type: 'abort' } : { type: 'error', error: e };
      return;
    } finally {
      stepSignal.release();
    }
    if (text) content.push({ type: 'text', text });
    yield { type: 'finish-step' };
    const assistant = { role: 'assistant' as const, content };
    history.push(assistant, ...(results.length > 0 ? [{ role: 'tool' as const, content: results }] : []));
    input.responseMessages.push(...modelMessagesOf(assistant, results));
    // streamText's loop: again while every tool call of the step has its result, up to maxSteps.
    if (toolCalls === 0 || step >= input.maxSteps) break;
  }
  yield { type: 'finish', totalUsage: usage };
}

/** A tool call of the model: checked (a defined tool, JSON input), run, and its result kept for the next step. */
async function* callTool(
  part: Extract<LanguageModelV3StreamPart, { type: 'tool-call' }>,
  tools: Record<string, StepTool>,
  content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'],
  results: Extract<LanguageModelV3Message, { role: 'tool' }>['content'],
): AsyncGenerator<StepPart> {
  const { toolCallId, toolName } = part;
  const tool = tools[toolName];
  let input: unknown = part.input;
  let problem: string | null = null;
  if (!tool) {
    problem = `Model tried to call unavailable tool '${toolName}'. Available tools: ${Object.keys(tools).join(', ')}.`;
  } else {
    try {
      input = part.input.trim() === '' ? {} : (JSON.parse(part.input) as unknown);
    } catch (e) {
      problem = `Invalid input for tool ${toolName}: JSON parsing failed: Text: ${part.input}. Error message: ${(e as Error).message}`;
    }
  }
  content.push({ type: 'tool-call', toolCallId, toolName, input, providerOptions: part.providerMetadata });
  yield { type: 'tool-call', toolCallId, toolName, input };
  let output: unknown;
  try {
    if (problem !== null) throw new Error(problem);
    output = await tool!.execute(input, toolCallId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({ type: 'tool-result', toolCallId, toolName, output: { type: 'error-text', value: message } });
    yield { type: 'tool-error', toolCallId, toolName, input, error };
    return;
  }
  results.push({
    type: 'tool-result',
    toolCallId,
    toolName,
    output:
      typeof output === 'string' ? { type: 'text', value: output } : { type: 'json', value: (output ?? null) as never },
  });
  yield { type: 'tool-result', toolCallId, toolName, input, output };
}

/**
 * A step's abort signal: the run's (Stop, a closed tab) or the step's timeout, whichever comes
 * first, with generateText's TimeoutError. Released when the step ends, so nothing stays listening
 * on the run's signal.
 */
class StepSignal {
  private readonly own = new AbortController();
  private readonly relay = () => this.own.abort(this.parent.reason);
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly parent: AbortSignal,
    timeoutMs: number,
  ) {
    if (parent.aborted) this.own.abort(parent.reason);
    else parent.addEventListener('abort', this.relay, { once: true });
    this.timer = setTimeout(
      () => this.own.abort(new DOMException(`Step timeout of ${timeoutMs}ms exceeded`, 'TimeoutError')),
      timeoutMs,
    );
  }

  get signal(): AbortSignal {
    return this.own.signal;
  }

  release(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.relay);
  }
}

/**
 * streamText's retries: a retryable provider error (429, 5xx, a dropped connection) is tried again
 * after 2 s, then 4 s (or what Retry-After says, under a minute), up to `maxRetries` times; then a
 * RetryError holding every attempt's error, which classifyProviderError counts.
 */
async function withRetries<T>(maxRetries: number, signal: AbortSignal, call: () => PromiseLike<T>): Promise<T> {
  const errors: unknown[] = [];
  for (let delayMs = 2000; ; delayMs *= 2) {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted || isAbort(error) || maxRetries === 0) throw error;
      errors.push(error);
      const message = error instanceof Error ? error.message : String(error);
      if (!(APICallError.isInstance(error) && error.isRetryable)) {
        if (errors.length === 1) throw error;
        throw new RetryError({
          message: `Failed after ${errors.length} attempts with non-retryable error: '${message}'`,
          reason: 'errorNotRetryable',
          errors,
        });
      }
      if (errors.length > maxRetries)
        throw new RetryError({
          message: `Failed after ${errors.length} attempts. Last error: ${message}`,
          reason: 'maxRetriesExceeded',
          errors,
        });
      await sleep(retryAfterMs(error) ?? delayMs, signal);
    }
  }
}

function isAbort(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError' || name === 'ResponseAborted';
}

/** A provider's Retry-After (ms or s), honoured when under a minute, as the AI SDK does. */
function retryAfterMs(e: APICallError): number | null {
  const headers = e.responseHeaders ?? {};
  const ms = headers['retry-after-ms'] ? parseFloat(headers['retry-after-ms']) : NaN;
  const s = headers['retry-after'] ? parseFloat(headers['retry-after']) * 1000 : NaN;
  const wait = Number.isNaN(ms) ? s : ms;
  return !Number.isNaN(wait) && wait >= 0 && wait < 60_000 ? wait : null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

type AssistantPart = Extract<LanguageModelV3Message, { role: 'assistant' }>['content'][number];

/**
 * The provider prompt for a system text and a history, as streamText's convertToLanguageModelPrompt
 * makes it for the parts a dry-run holds (text, reasoning, tool calls and results): empty texts
 * dropped, consecutive tool messages merged.
 */
export function providerPromptOf(system: string, messages: readonly ModelMessage[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: system }];
  for (const m of messages) {
    if (m.role === 'system') prompt.push({ role: 'system', content: m.content, providerOptions: m.providerOptions });
    else if (m.role === 'user')
      prompt.push({
        role: 'user',
        content:
          typeof m.content === 'string'
            ? [{ type: 'text', text: m.content }]
            : m.content.flatMap((p) => {
                if (p.type !== 'text') throw new Error(`a dry-run message holds a ${p.type} part`);
                return p.text === ''
                  ? []
                  : [{ type: 'text' as const, text: p.text, providerOptions: p.providerOptions }];
              }),
        providerOptions: m.providerOptions,
      });
    else if (m.role === 'assistant')
      prompt.push({
        role: 'assistant',
        content:
          typeof m.content === 'string'
            ? [{ type: 'text', text: m.content }]
            : m.content.flatMap((p): AssistantPart[] => {
                if (p.type === 'text')
                  return p.text === '' && p.providerOptions == null
                    ? []
                    : [{ type: 'text' as const, text: p.text, providerOptions: p.providerOptions }];
                if (p.type === 'reasoning')
                  return [{ type: 'reasoning' as const, text: p.text, providerOptions: p.providerOptions }];
                if (p.type === 'tool-call')
                  return [
                    {
                      type: 'tool-call' as const,
                      toolCallId: p.toolCallId,
                      toolName: p.toolName,
                      input: p.input,
                      providerExecuted: p.providerExecuted,
                      providerOptions: p.providerOptions,
                    },
                  ];
                throw new Error(`a dry-run message holds a ${p.type} part`);
              }),
        providerOptions: m.providerOptions,
      });
    else {
      const content = m.content.flatMap((p) =>
        p.type === 'tool-result'
          ? [
              {
                type: 'tool-result' as const,
                toolCallId: p.toolCallId,
                toolName: p.toolName,
                output: p.output as never,
                providerOptions: p.providerOptions,
              },
            ]
          : [],
      );
      const last = prompt.at(-1);
      if (last?.role === 'tool') last.content.push(...content);
      else prompt.push({ role: 'tool', content, providerOptions: m.providerOptions });
    }
  }
  return prompt;
}

/** A step's provider messages as the history's model messages (what streamText's response.messages holds). */
function modelMessagesOf(
  assistant: Extract<LanguageModelV3Message, { role: 'assistant' }>,
  results: Extract<LanguageModelV3Message, { role: 'tool' }>['content'],
): ModelMessage[] {
  const out: ModelMessage[] = [];
  if (assistant.content.length > 0) out.push({ role: 'assistant', content: assistant.content as never });
  if (results.length > 0) out.push({ role: 'tool', content: results as never });
  return out;
}
