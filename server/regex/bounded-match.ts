import { createContext, Script } from 'node:vm';

// A regular expression runs on the one JavaScript thread: a pathological one blocks every request
// until it finishes. V8 checks for termination while it backtracks, so a match started through a vm
// script with a timeout is cut off at the limit. This bounds every author-supplied pattern, also
// those saved before patterns were checked (an interrupted run resumes them at start).

/** How long one match may take before it is abandoned. Ordinary red flags take microseconds. */
export const MATCH_TIME_LIMIT_MS = 100;

const sandbox = createContext(Object.create(null) as object);
const test = new Script('pattern.test(input)');
const compiled = new Map<string, RegExp>();

/** true or false as RegExp#test would say, or 'timeout' when the match ran past the limit. */
export function testWithinTime(
  source: string,
  flags: string,
  input: string,
  limitMs = MATCH_TIME_LIMIT_MS,
): boolean | 'timeout' {
  const key = `${flags}/${source}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    pattern = new RegExp(source, flags);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, pattern);
  }
  pattern.lastIndex = 0;
  const globals = sandbox as { pattern?: RegExp; input?: string };
  globals.pattern = pattern;
  globals.input = input;
  try {
    return test.runInContext(sandbox, { timeout: limitMs }) === true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw e;
  } finally {
    globals.pattern = undefined;
    globals.input = undefined;
  }
}
