import { createContext, Script } from 'node:vm';
import { threadCpuMs } from '../scenarios/thread-cpu.ts';

// A regular expression runs on the one JavaScript thread: a pathological one blocks every request
// until it finishes. V8 checks for termination while it backtracks (and in any loop), so work
// started through a vm script with a timeout is cut off at the limit. This bounds every
// author-supplied pattern, also those saved before patterns were checked (an interrupted run
// resumes them at start), and the analysis of patterns itself.

/** How long one match may take before it is abandoned. Ordinary red flags take microseconds. */
export const MATCH_TIME_LIMIT_MS = 100;

const sandbox = createContext(Object.create(null) as object) as { task?: () => unknown };
const runTask = new Script('task()');

/**
 * Attempts after a timeout that was the machine's doing, not the task's. The limit is wall time
 * (V8's watchdog), and a process descheduled on a busy machine, or paused for garbage collection,
 * can pass it inside a match of microseconds; taken as the pattern's fault, that would silently
 * drop a red flag's hit. So a timed-out task runs again, measured by the thread's own CPU time, as
 * long as its attempt was starved (used under half its limit in CPU); a task that spent its time
 * computing is stopped for good.
 */
const STARVED_RETRIES = 3;

/** Runs `task` synchronously; { done: false } when it ran past `limitMs` and was stopped. */
export function runWithinTime<T>(task: () => T, limitMs: number): { done: true; value: T } | { done: false } {
  let attempt = attemptWithinTime(task, limitMs);
  for (let i = 0; !attempt.done && i < STARVED_RETRIES; i++) {
    const cpuBefore = threadCpuMs();
    attempt = attemptWithinTime(task, limitMs);
    if (attempt.done || cpuBefore === 0 || threadCpuMs() - cpuBefore >= limitMs / 2) break;
  }
  return attempt;
}

function attemptWithinTime<T>(task: () => T, limitMs: number): { done: true; value: T } | { done: false } {
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
