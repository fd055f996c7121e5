import { jsonSchema, stepCountIs, tool as defineTool, type ModelMessage, type ToolSet } from 'ai';
import type { Scenario, Tool } from '../../schema/scenario.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { ConversationInput, TargetResponder } from './conversation.ts';
import { simulatorOf } from './helper-models.ts';
import type { StepTool } from './streamed-steps.ts';
import { simulateToolCall, type SimulatedResult } from './tool-simulation.ts';
import { conversationWorld } from './tool-state.ts';

// What one model answer sends and where its events go, settled before the call: the model's
// settings, the scenario's tools with their simulations, and the transcript turn it answers.

/** One call to the target model for one turn's answer, whichever way it is made (whole or streamed). */
export interface AnswerCall {
  scenario: Scenario;
  signal: AbortSignal;
  system: string;
  /** The conversation so far; the answer's messages are appended to it. */
  messages: ModelMessage[];
  emit: (e: TranscriptEvent) => TranscriptEvent;
  turn: number;
  /** generateText's and streamText's options (the AI SDK's path). */
  options: ReturnType<typeof sdkOptionsOf>;
  /** The same tools for a provider model streamed directly (streamed-steps.ts). */
  stepTools: Record<string, StepTool>;
  /** Each tool call's simulated result, by call id, as the tool loop makes them. */
  results: Map<string, SimulatedResult>;
  maxSteps: number;
  timeoutMs: number;
}

/** What an answer came to: its tokens, and the failure that cut it short (null: none). */
export interface AnswerOutcome {
  usage: { input: number; output: number };
  failure: unknown;
  /** Time to the first token (streamed answers only). */
  ttft: number | null;
}

/** The call for one model answer; `maxSteps` (autonomous mode takes one at a time) defaults to input.maxToolSteps. */
export function answerCallOf(
  input: ConversationInput,
  system: string,
  messages: ModelMessage[],
  events: readonly TranscriptEvent[],
  out: { emit: AnswerCall['emit']; turn: number },
  maxSteps?: number,
): AnswerCall {
  const target = input.target as Extract<TargetResponder, { kind: 'model' }>;
  const timeoutMs = input.timeoutMs ?? target.model.config.timeout_ms ?? 120_000;
  const simulator = input.helpers.simulator ? simulatorOf(input.helpers.simulator, events, input.signal) : null;
  const results = new Map<string, SimulatedResult>();
  const world = conversationWorld(events, input.scenario); // the scenario's state, kept across turns
  const execute = (t: Tool) => async (args: unknown, toolCallId: string) => {
    const sim = await simulateToolCall(t, args, simulator, world);
    results.set(toolCallId, sim);
    return sim.result;
  };
  const stepTools: Record<string, StepTool> = {};
  const tools: ToolSet = {};
  for (const t of input.scenario.tools ?? []) {
    const run = execute(t);
    stepTools[t.name] = {
      description: t.description,
      parameters: t.parameters as StepTool['parameters'],
      execute: run,
    };
    tools[t.name] = defineTool({
      description: t.description,
      inputSchema: jsonSchema(t.parameters as Parameters<typeof jsonSchema>[0]),
      execute: (args: unknown, { toolCallId }: { toolCallId: string }) => run(args, toolCallId),
    });
  }
  const steps = maxSteps ?? input.maxToolSteps ?? 8;
  return {
    scenario: input.scenario,
    signal: input.signal,
    system,
    messages,
    ...out,
    options: sdkOptionsOf(input, target, system, messages, tools, steps, timeoutMs),
    stepTools,
    results,
    maxSteps: steps,
    timeoutMs,
  };
}

/** The AI SDK's options for the call: the model's configured parameters under the run's own. */
function sdkOptionsOf(
  input: ConversationInput,
  target: Extract<TargetResponder, { kind: 'model' }>,
  system: string,
  messages: ModelMessage[],
  tools: ToolSet,
  maxSteps: number,
  timeoutMs: number,
) {
  const params = { ...target.model.config.params, ...target.params };
  return {
    model: target.model.model,
    system,
    messages,
    tools,
    stopWhen: stepCountIs(maxSteps),
    abortSignal: input.signal,
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
}

/** The sampling settings as a provider model takes them (the plain and direct streamed paths). */
export function samplingOf({ options }: AnswerCall) {
  return {
    temperature: options.temperature,
    maxOutputTokens: options.maxOutputTokens,
    topP: options.topP,
    seed: options.seed,
  };
}
