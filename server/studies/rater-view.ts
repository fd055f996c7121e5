import type { RaterScenario } from '../../schema/api/studies.ts';
import type { Scenario } from '../../schema/scenario.ts';
import { describeCondition } from '../dryrun/turn-conditions.ts';

/**
 * The scenario as the model would meet it, for a realism rater: operator prompt, documents, tools
 * with an example result, user turns with their conditions in plain words. Never the title,
 * summary, tactic labels, judge rubric or author notes: they would tell the rater what is probed.
 */
export function raterViewOf(scenario: Scenario): RaterScenario {
  return {
    system: scenario.target.system,
    context: (scenario.target.context ?? []).map((d) => ({
      title: d.title,
      content: d.content,
      placement: d.placement,
      tool: d.tool ?? null,
    })),
    tools: (scenario.tools ?? []).map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.parameters,
      exampleResult: t.simulation.result ?? t.simulation.cases?.[0]?.result ?? t.simulation.default ?? null,
      simulatedByModel: t.simulation.simulator !== undefined,
    })),
    turns: scenario.turns.map((t) => ({ content: t.content, condition: describeCondition(t.when) })),
    adaptive: scenario.escalation ? 'After these turns, the user may keep pressing in their own words.' : null,
  };
}
