import { createContext, Script } from 'node:vm';

// A regular expression runs on the one JavaScript thread: a pathological one blocks every request
// until it finishes. V8 checks for termination while it backtracks (and in any loop), so work
// started through a vm script with a timeout is cut off at the limit. This bounds every
// author-supplied pattern, also those saved before patterns were checked (an interrupted run
// resumes them at start), and the analysis of patterns itself.

/** How long one match may take before it is abandoned. Ordinary red flags take microseconds. */
export const MATCH_TIME_LIMIT_MS = 100;

const sandbox = createContext(Object.create(null) as object) as { task?: () => unknown };
const runTask = new Script('task()');

/** Runs `task` synchronously; { done: false } when it ran past `limitMs` and was stopped. */
export function runWithinTime<T>(task: () => T, limitMs: number): { done: true; value: T } | { done: false } {
  sandbox.task = task;
  try {
    return { done: true, value: runTask.runInContext(sandbox, { timeout: limitMs }) as T };
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { done: false };
    throw e;
  } finally {
    sandbox.task = undefined;
  }
}

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
  const regex = pattern;
  regex.lastIndex = 0;
  const result = runWithinTime(() => regex.test(input), limitMs);
  return result.done ? result.value : 'timeout';
}
