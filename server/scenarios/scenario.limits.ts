import { matcherPatterns } from '../../schema/tool-checks.ts';
import { autonomousPatterns } from '../../schema/scenario-turns.ts';
import { catastrophicBacktrackingIn } from '../regex/catastrophic-backtracking.ts';

// What makes a scenario unsafe to run even when it is well-formed: a JSON value (a tool result, a
// default, case arguments) so large that every dry-run, stream event, transcript and rater view
// would carry it, and a red-flag pattern that backtracks catastrophically. A scenario with any of
// these is refused (it has no parsed value), so nothing downstream ever expands or runs it.

/** Characters a JSON value inside a scenario may take once serialised. */
export const MAX_JSON_VALUE_CHARS = 100_000;

export interface ScenarioLimitProblem {
  path: (string | number)[];
  message: string;
}

/** Every limit the scenario's raw value breaks, with the path of the offending field. */
export function scenarioLimitProblems(raw: Record<string, unknown>): ScenarioLimitProblem[] {
  const problems: ScenarioLimitProblem[] = [];
  const capJson = (value: unknown, path: (string | number)[]) => {
    if (value !== undefined && jsonLengthExceeds(value, MAX_JSON_VALUE_CHARS)) {
      problems.push({
        path,
        message: `this JSON value is larger than ${MAX_JSON_VALUE_CHARS.toLocaleString('en')} characters once serialised (aliases expanded); every dry-run and transcript would carry it`,
      });
    }
  };
  listOf(raw.tools).forEach((tool, ti) => {
    if (!isRecord(tool)) return;
    capJson(tool.parameters, ['tools', ti, 'parameters']);
    const simulation = isRecord(tool.simulation) ? tool.simulation : {};
    capJson(simulation.result, ['tools', ti, 'simulation', 'result']);
    capJson(simulation.default, ['tools', ti, 'simulation', 'default']);
    listOf(simulation.cases).forEach((c, ci) => {
      if (!isRecord(c)) return;
      capJson(c.when, ['tools', ti, 'simulation', 'cases', ci, 'when']);
      capJson(c.result, ['tools', ti, 'simulation', 'cases', ci, 'result']);
    });
    capJson(tool.effects, ['tools', ti, 'effects']);
  });
  if (isRecord(raw.state)) capJson(raw.state.initial, ['state', 'initial']);
  const target = isRecord(raw.target) ? raw.target : {};
  listOf(target.context).forEach((doc, di) => {
    if (isRecord(doc)) capJson(doc.arguments, ['target', 'context', di, 'arguments']);
  });
  const judge = isRecord(raw.judge) ? raw.judge : {};
  listOf(judge.red_flags).forEach((flag, fi) => {
    if (!isRecord(flag) || typeof flag.when_arguments_match !== 'string') return;
    const why = catastrophicBacktrackingIn(flag.when_arguments_match, 'i');
    if (why) problems.push({ path: ['judge', 'red_flags', fi, 'when_arguments_match'], message: why });
  });
  for (const { path, pattern } of autonomousPatterns(raw)) {
    const why = catastrophicBacktrackingIn(pattern, 'i');
    if (why) problems.push({ path, message: why });
  }
  for (const { path, pattern } of matcherPatterns(raw)) {
    const why = catastrophicBacktrackingIn(pattern, 'i');
    if (why) problems.push({ path, message: why });
  }
  return problems;
}

/**
 * Whether JSON.stringify(value) would be longer than `max`, found without building the string and
 * stopping as soon as it is: a shared or cyclic structure is counted at every place it appears.
 */
export function jsonLengthExceeds(value: unknown, max: number): boolean {
  let length = 0;
  const add = (v: unknown, depth = 0): boolean => {
    if (length > max || depth > 256) return false; // deeper than any YAML the parser lets through
    if (v === null || typeof v !== 'object') {
      length += typeof v === 'string' ? v.length + 2 : String(v).length;
      return length <= max;
    }
    if (Array.isArray(v)) {
      length += 2 + Math.max(0, v.length - 1);
      return length <= max && v.every((item) => add(item, depth + 1));
    }
    const entries = Object.entries(v);
    length += 2 + Math.max(0, entries.length - 1);
    for (const [k, item] of entries) {
      length += k.length + 3;
      if (!add(item, depth + 1)) return false;
    }
    return length <= max;
  };
  return !add(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
