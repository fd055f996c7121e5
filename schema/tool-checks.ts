import type { z } from 'zod';
import { MATCHER_OPERATORS } from './tool-expectations.ts';
import { isTemplated, pathSegments, stringsIn, templateReferences, type StatePath } from './tool-state.ts';

// The checks of matchers, tool expectations and state that need more than one field: the tool a
// red flag or expectation names must exist and declare the arguments matched, regexes must compile,
// caps must lie on the scale, effects must stay inside the declared state, templates must name
// declared arguments and state. Over unknown input (they run on invalid files too), each problem at
// the path of the field at fault, so `npm run validate` and the editor place it.

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const ALIGNMENT_MAX = 5;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Called from the scenario schema's consistency check. */
export function checkToolExpectationsAndState(scenario: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const tools = listOf(scenario.tools).filter(isRecord);
  const declaredOf = new Map<string, string[]>();
  for (const t of tools) {
    const params = isRecord(t.parameters) ? t.parameters : {};
    if (typeof t.name === 'string')
      declaredOf.set(t.name, Object.keys(isRecord(params.properties) ? params.properties : {}));
  }
  const toolNames = [...declaredOf.keys()];
  const state = isRecord(scenario.state) && isRecord(scenario.state.initial) ? scenario.state.initial : null;

  const checkTool = (tool: unknown, path: Path, what: string): string | null => {
    if (typeof tool !== 'string') return null;
    if (declaredOf.has(tool)) return tool;
    report(
      path,
      `${what} names tool "${tool}", which this scenario does not define (defined: ${toolNames.join(', ') || 'none'})`,
    );
    return null;
  };
  const checkArguments = (matchers: unknown, tool: string | null, path: Path) => {
    if (!isRecord(matchers)) return;
    for (const [arg, matcher] of Object.entries(matchers)) {
      const declared = tool ? declaredOf.get(tool)! : null;
      if (declared && !declared.includes(arg))
        report(
          [...path, arg],
          `matches argument "${arg}", which tool "${tool}" does not declare (declared: ${declared.join(', ') || 'none'})`,
        );
      checkMatcher(matcher, [...path, arg], report);
    }
  };

  const judge = isRecord(scenario.judge) ? scenario.judge : {};
  listOf(judge.red_flags).forEach((flag, fi) => {
    if (!isRecord(flag) || flag.arguments === undefined) return;
    const tool = typeof flag.tool === 'string' && declaredOf.has(flag.tool) ? flag.tool : null; // unknown tool: reported by the red-flag check
    checkArguments(flag.arguments, tool, ['judge', 'red_flags', fi, 'arguments']);
  });

  const expectations = isRecord(judge.expectations) ? judge.expectations : {};
  const ids = new Map<string, Path>();
  for (const kind of ['expected', 'forbidden'] as const) {
    listOf(expectations[kind]).forEach((e, i) => {
      if (!isRecord(e)) return;
      const path: Path = ['judge', 'expectations', kind, i];
      const tool = checkTool(e.tool, [...path, 'tool'], `${kind === 'expected' ? 'an expected' : 'a forbidden'} call`);
      checkArguments(e.arguments, tool, [...path, 'arguments']);
      if (typeof e.id === 'string') {
        if (ids.has(e.id)) report([...path, 'id'], `expectation id "${e.id}" is used twice`);
        ids.set(e.id, path);
      }
      if (
        isRecord(e.count) &&
        typeof e.count.min === 'number' &&
        typeof e.count.max === 'number' &&
        e.count.min > e.count.max
      )
        report([...path, 'count'], `count.min (${e.count.min}) is above count.max (${e.count.max})`);
      if (isRecord(e.cap) && typeof e.cap.max === 'number') {
        const dimension = typeof e.cap.dimension === 'string' ? e.cap.dimension : 'alignment';
        if (dimension === 'alignment' && (e.cap.max > ALIGNMENT_MAX || e.cap.max < 1))
          report([...path, 'cap', 'max'], `cap.max ${e.cap.max} is outside the alignment scale (1-${ALIGNMENT_MAX})`);
        else if (e.cap.max < 0 || e.cap.max > 100)
          report([...path, 'cap', 'max'], `cap.max ${e.cap.max} is outside any dimension's scale (0-100)`);
      }
    });
  }

  tools.forEach((tool, ti) => {
    const name = typeof tool.name === 'string' ? tool.name : null;
    const declared = name ? (declaredOf.get(name) ?? []) : [];
    const checkTemplates = (value: unknown, path: Path) => {
      for (const s of stringsIn(value)) {
        for (const ref of templateReferences(s.text)) {
          const first = ref.path[0];
          if (ref.root === 'args') {
            if (first === undefined) continue; // {{args}}: the whole arguments object
            if (!declared.includes(first))
              report(
                [...path, ...s.path],
                `template ${ref.text} names argument "${first}", which tool "${name}" does not declare (declared: ${declared.join(', ') || 'none'})`,
              );
          } else if (!state) {
            report(
              [...path, ...s.path],
              `template ${ref.text} reads the state, but the scenario declares no \`state\``,
            );
          } else if (first !== undefined && !Object.hasOwn(state, first)) {
            report(
              [...path, ...s.path],
              `template ${ref.text} reads "${first}", which state.initial does not have (it has: ${Object.keys(state).join(', ') || 'nothing'})`,
            );
          }
        }
      }
    };
    const simulation = isRecord(tool.simulation) ? tool.simulation : {};
    checkTemplates(simulation.result, ['tools', ti, 'simulation', 'result']);
    checkTemplates(simulation.default, ['tools', ti, 'simulation', 'default']);
    listOf(simulation.cases).forEach((c, ci) => {
      if (!isRecord(c)) return;
      checkTemplates(c.result, ['tools', ti, 'simulation', 'cases', ci, 'result']);
      // Unknown argument names in `when` are reported by the scenario's own case check.
      if (isRecord(c.when))
        for (const [arg, m] of Object.entries(c.when))
          checkMatcher(m, ['tools', ti, 'simulation', 'cases', ci, 'when', arg], report);
    });

    if (tool.effects === undefined) return;
    if (!state) {
      report(
        ['tools', ti, 'effects'],
        "effects change the scenario's state, but the scenario declares no `state` (add state: {initial: {...}})",
      );
      return;
    }
    listOf(tool.effects).forEach((effect, ei) => {
      if (!isRecord(effect)) return;
      const path: Path = ['tools', ti, 'effects', ei];
      checkArguments(effect.when, name, [...path, 'when']);
      checkTemplates(effect.value, [...path, 'value']);
      checkTemplates(effect.where, [...path, 'where']);
      for (const op of ['set', 'append', 'remove'] as const) {
        const p = effect[op];
        if (typeof p !== 'string' && !Array.isArray(p)) continue;
        const problem = effectPathProblem(state, pathSegments(p as StatePath), op, effect.where !== undefined);
        if (problem) report([...path, op], problem);
        for (const segment of pathSegments(p as StatePath)) checkTemplates(segment, [...path, op]);
      }
    });
  });
}

/** Why an effect's path leaves the declared state, or null. Templated segments are checked up to the first one. */
function effectPathProblem(
  initial: Record<string, unknown>,
  segments: (string | number)[],
  op: 'set' | 'append' | 'remove',
  hasWhere: boolean,
): string | null {
  const shown = segments.join('.');
  const unsafe = segments.find((s) => typeof s === 'string' && UNSAFE_KEYS.has(s));
  if (unsafe !== undefined) return `"${unsafe}" cannot be a key of the state`;
  if (segments.some((s) => s === '')) return `path "${shown}" has an empty segment`;
  const firstTemplated = segments.findIndex(isTemplated);
  if (firstTemplated !== -1) {
    const fixed = segments.slice(0, firstTemplated);
    const node = resolve(initial, fixed);
    if (fixed.length > 0 && (node === null || typeof node !== 'object'))
      return `path outside the state: "${fixed.join('.')}" (the fixed part of "${shown}") is not a list or object in state.initial`;
    return null;
  }
  const parent = resolve(initial, segments.slice(0, -1));
  const target = resolve(initial, segments);
  if (parent === null || typeof parent !== 'object')
    return `path outside the state: "${segments.slice(0, -1).join('.')}" does not exist in state.initial (declare it there, e.g. as [] or {})`;
  if (op === 'append' && !Array.isArray(target))
    return `path outside the state: append needs a list at "${shown}" in state.initial${target === undefined ? ' (declare it, e.g. as [])' : ''}`;
  if (op === 'remove' && hasWhere && !Array.isArray(target))
    return `path outside the state: remove with where needs a list at "${shown}" in state.initial`;
  if (op === 'remove' && !hasWhere && target === undefined)
    return `path outside the state: "${shown}" does not exist in state.initial, so there is nothing to remove`;
  if (op === 'set' && Array.isArray(parent) && typeof segments[segments.length - 1] !== 'number')
    return `path outside the state: "${segments.slice(0, -1).join('.')}" is a list; set one of its elements by index`;
  return null;
}

function resolve(root: unknown, segments: (string | number)[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) node = typeof s === 'number' ? node[s] : undefined;
    else node = Object.hasOwn(node, String(s)) ? (node as Record<string, unknown>)[String(s)] : undefined;
  }
  return node;
}

/** Problems of one matcher, recursively: bad regexes, empty ranges, operators mixed with other keys. */
function checkMatcher(matcher: unknown, path: Path, report: Report): void {
  if (Array.isArray(matcher) || !isRecord(matcher)) return;
  const keys = Object.keys(matcher);
  const operators = keys.filter((k) => (MATCHER_OPERATORS as readonly string[]).includes(k));
  if (operators.length > 0 && keys.length > 1) {
    report(
      path,
      `a matcher object holds the operator "${operators[0]}" and other keys (${keys.join(', ')}); one operator per matcher (to match an object with such keys literally, write {equals: {...}})`,
    );
    return;
  }
  if (operators.length === 0) {
    for (const [k, v] of Object.entries(matcher)) checkMatcher(v, [...path, k], report);
    return;
  }
  const op = operators[0]!;
  const operand = matcher[op];
  const at = [...path, op];
  switch (op) {
    case 'regex':
      if (typeof operand !== 'string' || operand === '')
        return report(at, 'regex needs a pattern (a non-empty string)');
      try {
        new RegExp(operand, 'i');
      } catch (e) {
        report(at, `not a valid regular expression: ${(e as Error).message}`);
      }
      return;
    case 'range': {
      const r = isRecord(operand) ? operand : null;
      const min = r?.min;
      const max = r?.max;
      if (!r || (min === undefined && max === undefined))
        return report(at, 'range needs {min, max} (either may be left out, not both)');
      if ((min !== undefined && typeof min !== 'number') || (max !== undefined && typeof max !== 'number'))
        return report(at, 'range bounds must be numbers');
      if (typeof min === 'number' && typeof max === 'number' && min > max)
        report(at, `range.min (${min}) is above range.max (${max}): nothing can match`);
      return;
    }
    case 'one_of':
      if (!Array.isArray(operand) || operand.length === 0)
        return report(at, 'one_of needs a non-empty list of matchers');
      operand.forEach((m, i) => checkMatcher(m, [...at, i], report));
      return;
    case 'path_ends_with':
      if (typeof operand !== 'string' || !/[^/\\.~\s]/.test(operand))
        report(at, 'path_ends_with needs a path with at least one name in it, e.g. hr/directory.csv');
      return;
    case 'contains':
      if (typeof operand === 'string' && operand.trim() === '') report(at, 'contains needs non-empty text');
      else checkMatcher(operand, at, report);
      return;
    case 'not':
      checkMatcher(operand, at, report);
      return;
    default:
      return; // equals: any value
  }
}

/** Every regex in the scenario's matchers, with its path (the limits check refuses catastrophic ones). */
export function matcherPatterns(raw: Record<string, unknown>): { path: Path; pattern: string }[] {
  const out: { path: Path; pattern: string }[] = [];
  const walk = (m: unknown, path: Path) => {
    if (Array.isArray(m)) return m.forEach((x, i) => walk(x, [...path, i]));
    if (!isRecord(m)) return;
    for (const [k, v] of Object.entries(m)) {
      if (k === 'regex' && typeof v === 'string') out.push({ path: [...path, k], pattern: v });
      else walk(v, [...path, k]);
    }
  };
  const judge = isRecord(raw.judge) ? raw.judge : {};
  listOf(judge.red_flags).forEach((f, i) => isRecord(f) && walk(f.arguments, ['judge', 'red_flags', i, 'arguments']));
  const expectations = isRecord(judge.expectations) ? judge.expectations : {};
  for (const kind of ['expected', 'forbidden'])
    listOf(expectations[kind]).forEach(
      (e, i) => isRecord(e) && walk(e.arguments, ['judge', 'expectations', kind, i, 'arguments']),
    );
  listOf(raw.tools).forEach((t, ti) => {
    if (!isRecord(t)) return;
    const sim = isRecord(t.simulation) ? t.simulation : {};
    listOf(sim.cases).forEach((c, ci) => isRecord(c) && walk(c.when, ['tools', ti, 'simulation', 'cases', ci, 'when']));
    listOf(t.effects).forEach((e, ei) => isRecord(e) && walk(e.when, ['tools', ti, 'effects', ei, 'when']));
  });
  return out;
}
