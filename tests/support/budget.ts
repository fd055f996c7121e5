import { availableParallelism, loadavg } from 'node:os';

// Wait budgets that scale with the machine. Tests wait on conditions, never on fixed sleeps; how
// long they may wait before calling a condition missed depends on how busy the machine is: on two
// cores shared with other suites, a page that renders in 1 s quietly can take 5.

/** At most this much slower than a quiet machine: past it a wait that still misses is a real failure. */
const MAX_SLOWDOWN = 4;

/**
 * How much slower this machine is now than a quiet one: the last minute's load per core, from 1
 * to 4. CRUCIBLE_TEST_SLOWDOWN sets it instead (for a machine known to be slow).
 */
export function slowdown(): number {
  const set = Number(process.env.CRUCIBLE_TEST_SLOWDOWN);
  if (set > 0) return set;
  return Math.min(MAX_SLOWDOWN, Math.max(1, loadavg()[0]! / availableParallelism()));
}

/** A wait budget (ms) for a condition that a quiet machine meets well within `ms`, scaled by the current slowdown. */
export function budget(ms: number): number {
  return Math.ceil(ms * slowdown());
}
