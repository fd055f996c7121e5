import { setMaxListeners } from 'node:events';
import type { ModelMessage } from 'ai';
import type { ModelParams } from '../../schema/models.ts';
import type { Scenario } from '../../schema/scenario.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { ResolvedModel } from '../models/model.registry.ts';
import type { RunVariant } from '../variants/scenario-variant.ts';
import { nextSimulatedUserTurn, refereeOf } from './helper-models.ts';
import { documentEvents, firstUserContent, openingToolMessages, systemPromptOf } from './context-documents.ts';
import { modelAnswer } from './model-answer.ts';
import { classifyProviderError } from './provider-errors.ts';
import { runAutonomous } from './autonomous-run.ts';
import { prefillProblem, scriptedAnswerOf } from './scripted-turns.ts';
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
  /** The variant `scenario` is an expansion of (its parent's id and values); absent without variables. */
  variant?: RunVariant;
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
    // The variant's own id, as the stored transcript and run item have it; the expanded text keeps its parent's.
    scenarioId: input.variant?.id ?? scenario.id,
    ...(input.variant ? { variantOf: input.variant.of, variantValues: input.variant.values } : {}),
    contentHash: input.contentHash,
    model: target.kind === 'model' ? target.model.id : 'human',
    params,
    at: new Date().toISOString(),
    ...(scenario.autonomous ? { mode: 'autonomous' as const } : {}),
  });
  yield emit({ type: 'system', content: system });
  for (const doc of documentEvents(scenario)) yield emit(doc);
  const unsupported = prefillProblem(scenario, target);
  if (unsupported) {
    // Before any call: a provider that cannot continue a prefill would answer something else.
    yield emit({ type: 'error', turn: null, code: 'config', message: unsupported, fatal: true });
    const latencyMs = now() - started;
    yield emit({ type: 'done', status: 'failed', inputTokens: 0, outputTokens: 0, costUsd: null, latencyMs });
    return;
  }

  let turn = 0;
  let status: 'completed' | 'stopped' | 'failed' = 'completed';

  const answer = async function* (turnIndex: number, maxSteps?: number): AsyncGenerator<TranscriptEvent, Fatal | null> {
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
    const outcome = yield* modelAnswer(input, system, messages, events, emit, turnIndex, now, maxSteps);
    totals.input += outcome.inputTokens;
    totals.output += outcome.outputTokens;
    return outcome.fatal ? { fatal: true } : null;
  };

  try {
    if (scenario.autonomous) {
      status = yield* runAutonomous({
        scenario: { ...scenario, autonomous: scenario.autonomous },
        messages,
        events,
        emit,
        firstContent: (content) => firstUserContent(scenario, content),
        step: async function* (turnIndex) {
          return (yield* answer(turnIndex, 1)) !== null;
        },
      });
    }
    const script = scenario.autonomous ? [] : [...scenario.turns.entries()];
    for (const [scriptIndex, scripted] of script) {
      if (scripted.role === 'assistant') continue; // sent with the user turn it answers
      const scriptedAnswer = scriptedAnswerOf(scenario.turns, scriptIndex);
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
        ...(scriptedAnswer && !scriptedAnswer.turn.prefill ? { history: true } : {}),
      });
      messages.push({
        role: 'user',
        content: turn === 0 ? firstUserContent(scenario, scripted.content) : scripted.content,
      });
      if (scriptedAnswer) {
        const { turn: reply, scriptIndex: replyIndex } = scriptedAnswer;
        const prefill = reply.prefill === true;
        yield emit({ type: 'scripted-assistant', turn, scriptIndex: replyIndex, content: reply.content, prefill });
        messages.push({ role: 'assistant', content: reply.content });
        // A prior answer stands for the model's reply; a prefill is the start the model continues.
        if (!prefill) {
          turn++;
          continue;
        }
      }
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

function costOf(model: ResolvedModel, input: number, output: number): number | null {
  const c = model.config.cost;
  return c ? (input * c.input_per_mtok + output * c.output_per_mtok) / 1_000_000 : null;
}
