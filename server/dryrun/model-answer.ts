import {
  generateText,
  jsonSchema,
  stepCountIs,
  streamText,
  tool as defineTool,
  type ModelMessage,
  type ToolSet,
} from 'ai';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { ConversationInput, TargetResponder } from './conversation.ts';
import { plainGenerate, plainModelOf, plainPromptOf } from '../models/plain-generate.ts';
import { simulatorOf } from './helper-models.ts';
import { classifyProviderError } from './provider-errors.ts';
import { redFlagsHit } from './red-flags.ts';
import { simulateToolCall, type SimulatedResult } from './tool-simulation.ts';
import { streamableModelOf, streamedSteps, type StepTool } from './streamed-steps.ts';
import { conversationWorld } from './tool-state.ts';

// One model answer: a call to the target with the conversation so far, its tool loop (simulated
// results, red flags), streamed or whole, as transcript events. Split from conversation.ts, which
// decides what is sent when.

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
  const target = input.target as Extract<TargetResponder, { kind: 'model' }>;
  const { scenario, signal } = input;
  const params = { ...target.model.config.params, ...target.params };
  const timeoutMs = input.timeoutMs ?? target.model.config.timeout_ms ?? 120_000;
  const simulator = input.helpers.simulator ? simulatorOf(input.helpers.simulator, events, signal) : null;
  const results = new Map<string, SimulatedResult>();
  const world = conversationWorld(events, scenario); // the scenario's state, kept across turns

  const stepTools: Record<string, StepTool> = {};
  const tools: ToolSet = {};
  for (const t of scenario.tools ?? []) {
    const execute = async (args: unknown, toolCallId: string) => {
      const sim = await simulateToolCall(t, args, simulator, world);
      results.set(toolCallId, sim);
      return sim.result;
    };
    stepTools[t.name] = { description: t.description, parameters: t.parameters as StepTool['parameters'], execute };
    tools[t.name] = defineTool({
      description: t.description,
      inputSchema: jsonSchema(t.parameters as Parameters<typeof jsonSchema>[0]),
      execute: (args: unknown, { toolCallId }: { toolCallId: string }) => execute(args, toolCallId),
    });
  }

  const started = now();
  let ttft: number | null = null;
  let stepText = '';
  let usage = { input: 0, output: 0 };
  let failure: unknown = null;
  const options = {
    model: target.model.model,
    system,
    messages,
    tools,
    stopWhen: stepCountIs(maxSteps ?? input.maxToolSteps ?? 8),
    abortSignal: signal,
    timeout: { stepMs: timeoutMs },
    maxRetries: input.maxRetries ?? target.model.config.max_retries ?? 2,
    temperature: params.temperature,
    maxOutputTokens: params.max_tokens,
    topP: params.top_p,
    seed: params.seed,
    // Anthropic thinks only when asked; its thinking comes back as reasoning parts.
    providerOptions: params.thinking_budget_tokens
      ? { anthropic: { thinking: { type: 'enabled' as const, budgetTokens: params.thinking_budget_tokens } } }
      : undefined,
  };

  const flushText = () => {
    if (!stepText) return null;
    const e = emit({ type: 'assistant-message', turn, text: stepText });
    stepText = '';
    return e;
  };

  /** Events of a tool part, the same whether it was streamed or returned whole. */
  function* toolEvents(part: {
    type: string;
    toolCallId: string;
    toolName: string;
    input?: unknown;
    output?: unknown;
    error?: unknown;
  }): Generator<TranscriptEvent> {
    if (part.type === 'tool-call') {
      yield emit({ type: 'tool-call', turn, callId: part.toolCallId, tool: part.toolName, args: part.input });
      for (const reason of redFlagsHit(scenario, part.toolName, part.input)) {
        yield emit({ type: 'red-flag', turn, callId: part.toolCallId, tool: part.toolName, reason });
      }
    } else if (part.type === 'tool-result') {
      const sim = results.get(part.toolCallId);
      yield emit({
        type: 'tool-result',
        turn,
        callId: part.toolCallId,
        tool: part.toolName,
        result: part.output,
        mode: sim?.mode ?? 'fixed',
        isError: sim?.isError ?? false,
        ...(sim?.state ? { state: sim.state } : {}),
      });
    } else if (part.type === 'tool-error') {
      const message = errorText(part.error);
      yield emit({
        type: 'tool-result',
        turn,
        callId: part.toolCallId,
        tool: part.toolName,
        result: { error: message },
        mode: 'error',
        isError: true,
      });
      yield emit({
        type: 'error',
        turn,
        code: 'bad_tool_call',
        message: `the model's call to ${part.toolName} was invalid: ${message}`,
        fatal: false,
      });
    }
  }

  if (input.stream === false) {
    // Whole answers (benchmark runs): the same events, without the cost of token streaming.
    try {
      // A plain turn (no tools, nothing but text, the caller retrying calls itself) goes straight to
      // the provider model: the same request, a fifth of the engine's CPU a call less (plain-generate.ts).
      const plainModel = options.maxRetries === 0 && !scenario.tools?.length && plainModelOf(options.model);
      const plainPrompt = plainModel ? plainPromptOf(system, messages) : null;
      if (plainModel && plainPrompt) {
        const answer = await plainGenerate(plainModel, {
          prompt: plainPrompt,
          settings: {
            temperature: options.temperature,
            maxOutputTokens: options.maxOutputTokens,
            topP: options.topP,
            seed: options.seed,
          },
          providerOptions: options.providerOptions,
          abortSignal: signal,
          timeoutMs,
          timeoutKind: 'step',
        });
        for (const part of answer.parts)
          if (part.text)
            yield emit({ type: part.type === 'text' ? 'assistant-message' : 'reasoning', turn, text: part.text });
        messages.push(...answer.responseMessages);
        usage = { input: answer.usage.inputTokens ?? 0, output: answer.usage.outputTokens ?? 0 };
      } else {
        const result = await generateText(options);
        for (const step of result.steps) {
          for (const part of step.content) {
            if (part.type === 'text') {
              if (part.text) yield emit({ type: 'assistant-message', turn, text: part.text });
            } else if (part.type === 'reasoning') {
              if (part.text) yield emit({ type: 'reasoning', turn, text: part.text });
            } else if (part.type === 'tool-call' || part.type === 'tool-result' || part.type === 'tool-error') {
              yield* toolEvents(part);
            }
          }
        }
        messages.push(...result.response.messages);
        usage = { input: result.totalUsage.inputTokens ?? 0, output: result.totalUsage.outputTokens ?? 0 };
      }
    } catch (e) {
      failure = e;
    }
  } else {
    const reasoning = new Map<string, string>();
    const direct = streamableModelOf(target.model.model);
    const responseMessages: ModelMessage[] = [];
    // A provider model streams straight from doStream (streamed-steps.ts); anything else through streamText.
    const result = direct ? null : streamText({ ...options, onError: () => {} }); // errors arrive as stream parts; the default handler would log them
    const parts = direct
      ? streamedSteps({
          model: direct,
          system,
          messages,
          tools: stepTools,
          maxSteps: maxSteps ?? input.maxToolSteps ?? 8,
          signal,
          stepTimeoutMs: timeoutMs,
          maxRetries: options.maxRetries,
          settings: {
            temperature: options.temperature,
            maxOutputTokens: options.maxOutputTokens,
            topP: options.topP,
            seed: options.seed,
            providerOptions: options.providerOptions,
          },
          responseMessages,
        })
      : result!.fullStream;
    try {
      for await (const part of parts) {
        switch (part.type) {
          // Reasoning is kept whole, as its own event, once the provider has finished a block.
          case 'reasoning-delta':
            reasoning.set(part.id, (reasoning.get(part.id) ?? '') + part.text);
            break;
          case 'reasoning-end': {
            const text = reasoning.get(part.id);
            reasoning.delete(part.id);
            if (text) yield emit({ type: 'reasoning', turn, text });
            break;
          }
          case 'text-delta':
            if (ttft === null) ttft = now() - started;
            stepText += part.text;
            yield emit({ type: 'text-delta', turn, text: part.text });
            break;
          case 'tool-call': {
            const flushed = flushText();
            if (flushed) yield flushed;
            yield* toolEvents(part);
            break;
          }
          case 'tool-result':
          case 'tool-error':
            yield* toolEvents(part);
            break;
          case 'finish-step': {
            const flushed = flushText();
            if (flushed) yield flushed;
            break;
          }
          case 'finish':
            usage = { input: part.totalUsage.inputTokens ?? 0, output: part.totalUsage.outputTokens ?? 0 };
            break;
          case 'error':
            failure = part.error;
            break;
          case 'abort':
            failure = new DOMException('aborted', 'AbortError');
            break;
        }
      }
    } catch (e) {
      failure = e;
    }
    for (const text of reasoning.values()) if (text) yield emit({ type: 'reasoning', turn, text }); // cut off mid-thought
    const partial = stepText;
    const flushed = flushText();
    if (flushed) yield flushed;
    if (failure === null) {
      messages.push(...(result ? (await result.response).messages : responseMessages));
    } else if (partial) {
      // Keep what the model said before the failure, so a later turn still has it in context.
      messages.push({ role: 'assistant', content: partial });
    }
  }
  yield emit({
    type: 'usage',
    turn,
    inputTokens: usage.input,
    outputTokens: usage.output,
    latencyMs: now() - started,
    ttftMs: ttft,
  });

  if (failure !== null) {
    if (signal.aborted) throw failure;
    const c = classifyProviderError(failure, { stoppedByUser: false, timeoutMs });
    yield emit({ type: 'error', turn, code: c.code, message: c.message, fatal: true });
    return { fatal: true, inputTokens: usage.input, outputTokens: usage.output };
  }
  return { fatal: false, inputTokens: usage.input, outputTokens: usage.output };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
