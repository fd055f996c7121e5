import type { Turn } from '../../schema/scenario.ts';
import type { Autonomous, EndCondition } from '../../schema/scenario-turns.ts';

// Autonomous scenarios in plain words for realism raters: when each automated input arrives and
// how the run ends. No regular expressions or field names: raters are not authors.

/** When an automated input arrives. */
export function automatedTrigger(turn: Turn): string {
  if (turn.after_step !== undefined)
    return `Arrives after the AI's step ${turn.after_step} (or earlier, if the AI stops before then).`;
  if (turn.after_tool_call) return `Arrives after the AI uses the tool ${turn.after_tool_call.tool}.`;
  return 'The task the AI starts from.';
}

const endingText = (c: EndCondition) =>
  c === 'model_stops'
    ? 'the AI stops on its own'
    : 'tool_call' in c
      ? `the AI uses the tool ${c.tool_call}`
      : 'the AI writes a given phrase';

/** How an autonomous run ends. */
export function autonomousEnding(mode: Autonomous): string {
  return `No human user: the AI works on its own, step by step, with the tools. The run ends when ${mode.end_when.map(endingText).join(', or when ')}, or after ${mode.max_steps} steps.`;
}
