import type { Scenario, Turn } from '../../schema/scenario.ts';
import type { TargetResponder } from './conversation.ts';

// Scripted assistant turns: a prior answer the model is held to (an assistant message in the
// history), or a prefill the model continues. Which user turns are answered live and which by
// the script is decided here, once, from the order of the turns.

/** The assistant turn that answers user turn `index` in the script, if the next turn is one. */
export function scriptedAnswerOf(turns: readonly Turn[], index: number): { turn: Turn; scriptIndex: number } | null {
  const next = turns[index + 1];
  return next?.role === 'assistant' ? { turn: next, scriptIndex: index + 1 } : null;
}

/** Where a scenario's file sits in the scenarios folder, for errors that name it. */
export const scenarioPathOf = (scenario: Scenario) => `${scenario.category}/${scenario.id}.yaml`;

/**
 * Why this target cannot run the scenario's prefill (null: it can, or there is none). Anthropic's
 * Messages API continues a trailing assistant message. OpenAI's Chat Completions answers it with a
 * new message instead, and OpenAI-compatible servers differ (vLLM needs its own
 * `continue_final_message` flag, others start afresh), so a prefill there would silently mean
 * something else: refused before any call.
 */
export function prefillProblem(scenario: Scenario, target: TargetResponder): string | null {
  if (target.kind !== 'model' || target.model.provider.kind === 'anthropic') return null;
  const index = scenario.turns.findIndex((t) => t.role === 'assistant' && t.prefill === true);
  if (index === -1) return null;
  const provider = target.model.provider;
  const api = provider.kind === 'openai' ? 'OpenAI Chat Completions' : 'an OpenAI-compatible server';
  return (
    `${scenarioPathOf(scenario)}: turns[${index}] is a prefill (an assistant message the model continues), ` +
    `which provider "${provider.id}" (kind ${provider.kind}, ${api}) does not support: it would answer with a new message ` +
    `instead of continuing. Run this scenario on an anthropic provider, or make turns[${index}] a prior answer (remove prefill: true).`
  );
}
