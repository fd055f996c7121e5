import { createHash } from 'node:crypto';
import type { RaterScenario } from '../../schema/api/studies.ts';
import type { Scenario } from '../../schema/scenario.ts';
import { exampleResultOf } from '../dryrun/tool-state.ts';
import { describeCondition } from '../dryrun/turn-conditions.ts';
import { autonomousEnding, automatedTrigger } from './rater-view-turns.ts';

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
      // Templates filled from the initial state: a rater reads an inbox, not {{state.inbox}}.
      exampleResult: exampleResultOf(
        t.simulation.result ?? t.simulation.cases?.[0]?.result ?? t.simulation.default ?? null,
        scenario,
      ),
      simulatedByModel: t.simulation.simulator !== undefined,
    })),
    // New keys only where a scenario uses the new fields: the view (and its hash) of every older
    // scenario stays what it was, so no rating goes stale from this.
    turns: scenario.turns.map((t) => ({
      content: t.content,
      condition: describeCondition(t.when),
      ...(t.role === 'assistant' ? { role: t.prefill ? ('prefill' as const) : ('assistant' as const) } : {}),
      ...(t.role === 'automated' ? { role: 'automated' as const, trigger: automatedTrigger(t) } : {}),
    })),
    adaptive: scenario.escalation ? 'After these turns, the user may keep pressing in their own words.' : null,
    ...(scenario.autonomous ? { autonomous: autonomousEnding(scenario.autonomous) } : {}),
  };
}

/** A line of the text ends in white space other than its line feed: only then is the text split into lines. */
const SPACE_AT_LINE_END = /[^\S\n]\n/;

/** Object keys sorted at every level and strings without trailing spaces: what a rater is shown, not how it is written. */
export function normalized(value: unknown): unknown {
  if (typeof value === 'string') {
    // Most texts have no line to trim: trimming their ends alone gives the same string, and every
    // file a cold index reads is hashed here (splitting every text was most of this hash's cost).
    if (!SPACE_AT_LINE_END.test(value)) return value.trim();
    return value
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trim();
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(normalized);
  // Written as loops, and sorting only keys out of order: a cold index hashes the view of every
  // file it reads, and the copies Object.fromEntries(keys.sort().map(...)) made were most of it.
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  // No prototype: a key "__proto__" (YAML can hold one) is a key like any other, as in fromEntries.
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of keys) copy[key] = normalized((value as Record<string, unknown>)[key]);
  return copy;
}

/**
 * The version of what a realism rater sees of a scenario: a hash of its normalized rater view.
 * Edits that do not reach the rater (comments, summary, notes, tags, the judge rubric, YAML
 * formatting) leave it unchanged, so ratings stay current through them. A file that does not
 * validate has no rater view: its hash is that of the text, so any change counts.
 */
export function raterViewHash(text: string, scenario: Scenario | null): string {
  if (!scenario) return `text:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
  return `view:${createHash('sha256')
    .update(JSON.stringify(normalized(raterViewOf(scenario))), 'utf8')
    .digest('hex')}`;
}
