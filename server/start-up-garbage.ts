import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Collects what starting the process left behind (loading and compiling the bundle, opening and
 * migrating the database, reading the index) in one full garbage collection, before the process
 * serves or works (issue 20 point 2: the start-up cost that makes small runs slow). Without it the
 * first run paid for it: a fresh server's first 64-item run spent about 35 ms of its main thread,
 * and more on V8's helper threads, in an incremental mark-compact of the old space that start-up
 * had filled (`node --trace-gc`), which the same run in a warm process never does. The collection
 * here costs 10-30 ms on a small corpus, once. It stops the thread for a time that grows with the
 * heap, hence before serving rather than once idle after: a request never waits for it.
 *
 * Node has no call for it without `--expose-gc`, which every launcher (npm start, `crucible
 * worker`, the tests' servers) would have to pass: the flag is set for the moment it takes to get
 * V8's `gc` function through a new context (as the `expose-gc` package does), and unset again so no
 * later context gets one. Answers whether it collected (false if V8 would not give the function).
 */
export function collectStartUpGarbage(): boolean {
  setFlagsFromString('--expose-gc');
  let gc: unknown;
  try {
    gc = runInNewContext('typeof gc === "function" ? gc : undefined');
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc !== 'function') return false;
  (gc as () => void)();
  return true;
}
