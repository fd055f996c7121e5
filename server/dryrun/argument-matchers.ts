import { MATCHER_OPERATORS, type MatcherOperator } from '../../schema/tool-expectations.ts';
import { testWithinTime } from '../regex/bounded-match.ts';

// The matcher language of schema/tool-expectations.ts at run time: one implementation for red
// flags, expected and forbidden calls, simulation cases and effect conditions.

/** The operator and its operand when the matcher is a one-key operator object, else null. */
export function operatorOf(matcher: unknown): { op: MatcherOperator; operand: unknown } | null {
  if (matcher === null || typeof matcher !== 'object' || Array.isArray(matcher)) return null;
  const keys = Object.keys(matcher);
  if (keys.length !== 1 || !(MATCHER_OPERATORS as readonly string[]).includes(keys[0]!)) return null;
  return { op: keys[0] as MatcherOperator, operand: (matcher as Record<string, unknown>)[keys[0]!] };
}

/** Every listed argument matches its matcher; unlisted arguments are free. */
export function argumentsMatch(matchers: Record<string, unknown>, args: unknown): boolean {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return false;
  const given = args as Record<string, unknown>;
  return Object.entries(matchers).every(([key, matcher]) => valueMatches(matcher, given[key]));
}

/** Whether one value satisfies one matcher. A missing value (undefined) satisfies none. */
export function valueMatches(matcher: unknown, actual: unknown): boolean {
  if (actual === undefined) return false;
  const operator = operatorOf(matcher);
  if (operator) return operatorMatches(operator.op, operator.operand, actual);
  if (matcher === null || typeof matcher !== 'object' || Array.isArray(matcher)) return looselyEqual(matcher, actual);
  // A nested object: the listed keys match, unlisted keys are free.
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const given = actual as Record<string, unknown>;
  return Object.entries(matcher).every(([key, m]) => valueMatches(m, given[key]));
}

function operatorMatches(op: MatcherOperator, operand: unknown, actual: unknown): boolean {
  switch (op) {
    case 'equals':
      return looselyEqual(operand, actual);
    case 'contains':
      if (typeof actual === 'string')
        return typeof operand === 'string' && actual.toLowerCase().includes(operand.trim().toLowerCase());
      if (Array.isArray(actual)) return actual.some((item) => valueMatches(operand, item));
      return false;
    case 'regex': {
      const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
      return typeof operand === 'string' && text !== undefined && boundedTest(operand, text);
    }
    case 'range': {
      const n =
        typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() ? Number(actual) : NaN;
      const { min, max } = (operand ?? {}) as { min?: number; max?: number };
      return Number.isFinite(n) && (min === undefined || n >= min) && (max === undefined || n <= max);
    }
    case 'one_of':
      return Array.isArray(operand) && operand.some((m) => valueMatches(m, actual));
    case 'path_ends_with': {
      if (typeof actual !== 'string' || typeof operand !== 'string') return false;
      const want = normalisedPath(operand);
      const have = normalisedPath(actual);
      return (
        want.length > 0 && want.length <= have.length && want.every((s, i) => have[have.length - want.length + i] === s)
      );
    }
    case 'not':
      return !valueMatches(operand, actual);
  }
}

/**
 * A path's segments, normalised: \ as /, a URL's scheme and host (and query) dropped, empty and "."
 * segments dropped, ".." resolved, a leading "~" dropped, case ignored. `./hr//directory.csv`,
 * `/hr/directory.csv` and `hr\directory.csv` all give [hr, directory.csv].
 */
export function normalisedPath(path: string): string[] {
  let text = path.trim().replace(/\\/g, '/').toLowerCase();
  const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(.*)$/.exec(text);
  if (url) text = url[1]!.replace(/[?#].*$/, '');
  const out: string[] = [];
  for (const segment of text.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else if (!(segment === '~' && out.length === 0)) out.push(segment);
  }
  return out;
}

/** Equality as simulation cases always had it: strings trimmed and case-insensitive, a number also as a numeric string. */
export function looselyEqual(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && typeof actual === 'string')
    return expected.trim().toLowerCase() === actual.trim().toLowerCase();
  if (typeof expected === 'number' && typeof actual === 'string')
    return actual.trim() !== '' && Number(actual.trim()) === expected; // "119.50" is 119.5
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) return false;
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  return Object.keys(e).length === Object.keys(a).length && Object.keys(e).every((k) => looselyEqual(e[k], a[k]));
}

// A pattern that runs past the time limit counts as no match: validation refuses patterns that can
// backtrack catastrophically, and this bounds any that slipped past it.
function boundedTest(pattern: string, text: string): boolean {
  let result: boolean | 'timeout';
  try {
    result = testWithinTime(pattern, 'i', text);
  } catch {
    return false; // not a valid pattern (validation reports it); never a hit
  }
  if (result === 'timeout') {
    console.warn(`argument pattern /${pattern}/i ran past its time limit and was treated as no match`);
    return false;
  }
  return result;
}
