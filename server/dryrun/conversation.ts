import { setMaxListeners } from 'node:events';
import {
  generateText,
  jsonSchema,
  stepCountIs,
  streamText,
  tool as defineTool,
  type ModelMessage,
  type ToolSet,
} from 'ai';
import type { ModelParams } from '../../schema/models.ts';
import type { Scenario } from '../../schema/scenario.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { ResolvedModel } from '../models/model.registry.ts';
import { nextSimulatedUserTurn, refereeOf, simulatorOf } from './helper-models.ts';
import { documentEvents, firstUserContent, openingToolMessages, systemPromptOf } from './context-documents.ts';
import { classifyProviderError } from './provider-errors.ts';
import { redFlagsHit } from './red-flags.ts';
import { simulateToolCall, type SimulatedResult } from './tool-simulation.ts';
import { decideTurn, describeCondition } from './turn-conditions.ts';

// The conversation engine: runs one scenario against one target and yields typed events. It
// knows nothing of HTTP; the route streams its events and the store keeps them.

/** Who answers the user turns: a configured model, or the author typing the model's replies. */
export type TargetResponder =
  | { kind: 'model'; model: ResolvedModel; params: ModelParams }
  | { kind: 'human'; waitForReply: (turn: number, signal: AbortSignal) => Promise<string> };

export interface HelperModels {
  referee: ResolvedModel | null;
  simulator: ResolvedModel | null;
  simulatedUser: ResolvedModel | null;
}

export interface ConversationInput {
  dryRunId: string;
  scenario: Scenario;
  contentHash: string;
  target: TargetResponder;
  helpers: HelperModels;
  signal: AbortSignal;
  /** Most model steps (tool call + result + model again) per user turn. */
  maxToolSteps?: number;
  /** Retries of a failed call before it is shown (429 and 5xx, with exponential backoff). */
  maxRetries?: number;
  timeoutMs?: number;
  /** false: whole answers instead of token streams (benchmark runs, where nobody watches). */
  stream?: boolean;
  now?: () => number;
}

type Fatal = { fatal: true };

export async function* runConversation(input: ConversationInput): AsyncGenerator<TranscriptEvent> {
  const now = input.now ?? (() => performance.now());
  const started = now();
  const { scenario, target, signal } = input;
  // Each model call listens on the signal while it runs; a long or concurrent run has many.
  setMaxListeners(0, signal);
  const events: TranscriptEvent[] = [];
  const emit = (e: TranscriptEvent) => {
    events.push(e);
    return e;
  };
  const totals = { input: 0, output: 0 };
  const params = target.kind === 'model' ? { ...target.model.config.params, ...target.params } : {};
  const system = systemPromptOf(scenario);
  const messages: ModelMessage[] = openingToolMessages(scenario);

  yield emit({
    type: 'start',
    dryRunId: input.dryRunId,
    scenarioId: scenario.id,
    contentHash: input.contentHash,
    model: target.kind === 'model' ? target.model.id : 'human',
    params,
    at: new Date().toISOString(),
  });
  yield emit({ type: 'system', content: system });
  for (const doc of documentEvents(scenario)) yield emit(doc);

  let turn = 0;
  let status: 'completed' | 'stopped' | 'failed' = 'completed';

  const answer = async function* (turnIndex: number): AsyncGenerator<TranscriptEvent, Fatal | null> {
    if (target.kind === 'human') {
      // Wait first, announce second: a reply sent as soon as the event arrives must find us waiting.
      const reply = target.waitForReply(turnIndex, signal);
      yield emit({ type: 'awaiting-reply', turn: turnIndex });
      const text = await reply;
      yield emit({ type: 'text-delta', turn: turnIndex, text });
      yield emit({ type: 'assistant-message', turn: turnIndex, text });
      messages.push({ role: 'assistant', content: text });
      return null;
    }
    const outcome = yield* modelAnswer(input, system, messages, events, emit, turnIndex, now);
    totals.input += outcome.inputTokens;
    totals.output += outcome.outputTokens;
    return outcome.fatal ? { fatal: true } : null;
  };

  try {
    for (const [scriptIndex, scripted] of scenario.turns.entries()) {
      const condition = describeCondition(scripted.when);
      let conditionReason: string | null = null;
      if (condition) {
        const referee = input.helpers.referee ? refereeOf(input.helpers.referee, signal) : null;
        let decision;
        try {
          decision = await decideTurn(scripted.when, events, referee);
        } catch (e) {
          if (signal.aborted) throw e;
          yield emit({
            type: 'error',
            turn: null,
            code: 'referee_failed',
            message: `the referee model failed: ${(e as Error).message}; the turn is skipped`,
            fatal: false,
          });
          decision = { send: false, reason: 'skipped: the referee model failed' };
        }
        if (!decision.send) {
          yield emit({
            type: 'turn-skipped',
            scriptIndex,
            content: scripted.content,
            tactic: scripted.tactic ?? null,
            condition,
            reason: decision.reason,
          });
          continue;
        }
        conditionReason = decision.reason;
      }
      yield emit({
        type: 'turn-start',
        turn,
        source: 'scripted',
        scriptIndex,
        content: scripted.content,
        tactic: scripted.tactic ?? null,
        condition,
        conditionReason,
      });
      messages.push({
        role: 'user',
        content: turn === 0 ? firstUserContent(scenario, scripted.content) : scripted.content,
      });
      if (yield* answer(turn)) {
        status = 'failed';
        break;
      }
      turn++;
    }

    if (status === 'completed' && scenario.escalation) {
      const simUser = input.helpers.simulatedUser;
      if (!simUser) {
        yield emit({
          type: 'error',
          turn: null,
          code: 'config',
          message: 'adaptive escalation skipped: no simulated-user model is configured (roles.simulated_user)',
          fatal: false,
        });
      } else {
        for (let i = 0; i < scenario.escalation.max_turns; i++) {
          const next = await nextSimulatedUserTurn(simUser, scenario.escalation, events, signal);
          if (next === null) break;
          yield emit({
            type: 'turn-start',
            turn,
            source: 'generated',
            scriptIndex: null,
            content: next,
            tactic: 'adaptive escalation',
            condition: null,
            conditionReason: null,
          });
          messages.push({ role: 'user', content: next });
          if (yield* answer(turn)) {
            status = 'failed';
            break;
          }
          turn++;
        }
      }
    }
  } catch (e) {
    if (signal.aborted) {
      status = 'stopped';
      yield emit({ type: 'error', turn: null, code: 'aborted', message: 'stopped by the author', fatal: true });
    } else {
      status = 'failed';
      const c = classifyProviderError(e, { stoppedByUser: false, timeoutMs: input.timeoutMs ?? 120_000 });
      yield emit({ type: 'error', turn: null, code: c.code, message: c.message, fatal: true });
    }
  }
  if (status === 'failed' && signal.aborted) status = 'stopped';

  const cost = target.kind === 'model' ? costOf(target.model, totals.input, totals.output) : null;
  yield emit({
    type: 'done',
    status,
    inputTokens: totals.input,
    outputTokens: totals.output,
    costUsd: cost,
    latencyMs: now() - started,
  });
}

/** One model answer to the latest user turn, with its tool loop. */
async function* modelAnswer(
  input: ConversationInput,
  system: string,
  messages: ModelMessage[],
  events: readonly TranscriptEvent[],
  emit: (e: TranscriptEvent) => TranscriptEvent,
  turn: number,
  now: () => number,
): AsyncGenerator<TranscriptEvent, { fatal: boolean; inputTokens: number; outputTokens: number }> {
  const target = input.target as Extract<TargetResponder, { kind: 'model' }>;
  const { scenario, signal } = input;
  const params = { ...target.model.config.params, ...target.params };
  const timeoutMs = input.timeoutMs ?? target.model.config.timeout_ms ?? 120_000;
  const simulator = input.helpers.simulator ? simulatorOf(input.helpers.simulator, events, signal) : null;
  const results = new Map<string, SimulatedResult>();

  const tools: ToolSet = {};
  for (const t of scenario.tools ?? []) {
    tools[t.name] = defineTool({
      description: t.description,
      inputSchema: jsonSchema(t.parameters as Parameters<typeof jsonSchema>[0]),
      execute: async (args: unknown, { toolCallId }: { toolCallId: string }) => {
        const sim = await simulateToolCall(t, args, simulator);
        results.set(toolCallId, sim);
        return sim.result;
      },
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
    stopWhen: stepCountIs(input.maxToolSteps ?? 8),
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
    } catch (e) {
      failure = e;
    }
  } else {
    const reasoning = new Map<string, string>();
    const result = streamText({ ...options, onError: () => {} }); // errors arrive as stream parts; the default handler would log them
    try {
      for await (const part of result.fullStream) {
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
      const response = await result.response;
      messages.push(...response.messages);
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

function costOf(model: ResolvedModel, input: number, output: number): number | null {
  const c = model.config.cost;
  return c ? (input * c.input_per_mtok + output * c.output_per_mtok) / 1_000_000 : null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
