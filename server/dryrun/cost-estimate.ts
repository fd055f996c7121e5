import type { CostEstimate } from '../../schema/api/cost-estimate.ts';
import type { ModelConfig } from '../../schema/models.ts';
import type { Scenario } from '../../schema/scenario.ts';
import { systemPromptOf } from './context-documents.ts';

// The cost of a dry-run, estimated from the scenario's text before anything is called. Every call
// resends the whole conversation so far, so input tokens grow with each turn; that, not the
// replies, is most of the bill of a long escalation or an autonomous run.

/** About 4 characters a token: the usual rule of thumb for English with these tokenizers. */
export const CHARS_PER_TOKEN = 4;
/** A reply's assumed length, in tokens (or the model's max_tokens, when lower). */
export const ASSUMED_REPLY_TOKENS = 300;

const tokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

interface Call {
  /** Tokens of the messages added before this call (the turn, with any history before it). */
  added: number;
  /** Whether the call is certain (a scripted turn that is always sent) or only possible. */
  certain: boolean;
}

export function estimateDryRunCost(
  scenario: Scenario,
  model: ModelConfig,
  problem: string | null = null,
): CostEstimate {
  const reply = Math.min(ASSUMED_REPLY_TOKENS, model.params?.max_tokens ?? ASSUMED_REPLY_TOKENS);
  const fixed =
    tokens(systemPromptOf(scenario)) +
    (scenario.tools?.length
      ? tokens(JSON.stringify(scenario.tools.map((t) => [t.name, t.description, t.parameters])))
      : 0) +
    (scenario.target.context ?? [])
      .filter((d) => d.placement !== 'system-prompt')
      .reduce((n, d) => n + tokens(d.content), 0);
  const calls = callsOf(scenario);

  const total = (which: 'min' | 'max') => {
    let context = fixed;
    let input = 0;
    let output = 0;
    let count = 0;
    for (const call of calls) {
      context += call.added;
      if (which === 'min' && !call.certain) continue;
      input += context;
      output += reply;
      context += reply;
      count++;
    }
    return { count, input, output };
  };
  const low = total('min');
  const high = total('max');
  const price = model.cost;
  const usd = (t: { input: number; output: number }) =>
    price ? (t.input * price.input_per_mtok + t.output * price.output_per_mtok) / 1_000_000 : 0;
  return {
    model: model.id,
    calls: { min: low.count, max: high.count },
    inputTokens: { min: low.input, max: high.input },
    outputTokens: { min: low.output, max: high.output },
    costUsd: price ? { min: usd(low), max: usd(high) } : null,
    method:
      `Estimated from the text at about ${CHARS_PER_TOKEN} characters a token. Each call to the model resends the ` +
      `system prompt, tools, documents and the whole conversation so far; each reply is taken as ${reply} tokens` +
      `${reply < ASSUMED_REPLY_TOKENS ? ' (the model’s max_tokens)' : ''}. The low figure counts the turns always sent; ` +
      'the high one adds conditional turns, adaptive escalation up to its max_turns, or every autonomous step up to ' +
      'max_steps. Not counted: extra steps of tool loops, reasoning tokens, and the helper models (referee, tool ' +
      `simulator, simulated user). ${price ? 'Prices from the models file.' : 'No prices for this model in the models file: tokens only.'}`,
    problem,
  };
}

/** The calls a dry-run makes to the target, in order, with what each adds to the conversation. */
function callsOf(scenario: Scenario): Call[] {
  const out: Call[] = [];
  if (scenario.autonomous) {
    // The task first; events join the conversation as they arrive, somewhere within the steps.
    const events = scenario.turns.slice(1).reduce((n, t) => n + tokens(t.content), 0);
    for (let step = 0; step < scenario.autonomous.max_steps; step++)
      out.push({ added: step === 0 ? tokens(scenario.turns[0]!.content) + events : 0, certain: step === 0 });
    return out;
  }
  let pending = 0; // history (a user turn answered by the script) rides along with the next call
  scenario.turns.forEach((turn, i) => {
    const next = scenario.turns[i + 1];
    pending += tokens(turn.content);
    if (turn.role === 'assistant' && !turn.prefill) return; // a scripted answer: no call
    if (next?.role === 'assistant') return; // answered by the script (or continued after the prefill)
    const conditional = turn.when !== undefined && turn.when !== 'always';
    out.push({ added: pending, certain: !conditional });
    pending = 0;
  });
  if (scenario.escalation) {
    const userTurns = scenario.turns.filter((t) => (t.role ?? 'user') === 'user');
    const typical = Math.round(userTurns.reduce((n, t) => n + tokens(t.content), 0) / Math.max(1, userTurns.length));
    for (let i = 0; i < scenario.escalation.max_turns; i++) out.push({ added: typical, certain: false });
  }
  return out;
}
