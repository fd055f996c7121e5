import type { Tool } from '../../schema/scenario.ts';

export interface SimulatedResult {
  result: unknown;
  mode: 'fixed' | 'case' | 'default' | 'simulator' | 'error';
  isError: boolean;
}

/** Invents a result with a simulator model; throws when the model fails. */
export type SimulatorCall = (tool: Tool, args: unknown) => Promise<unknown>;

/**
 * The result of a call to a simulated tool: the fixed result, the first matching case (or the
 * default), or the simulator model's invention. Never throws: a failure is an error result the
 * model sees, as it would see a failing real tool.
 */
export async function simulateToolCall(
  tool: Tool,
  args: unknown,
  simulator: SimulatorCall | null,
): Promise<SimulatedResult> {
  const sim = tool.simulation;
  if (sim.result !== undefined) return { result: sim.result, mode: 'fixed', isError: false };
  if (sim.cases) {
    const hit = sim.cases.find((c) => argumentsMatch(c.when, args));
    if (hit) return { result: hit.result, mode: 'case', isError: false };
    if (sim.default !== undefined) return { result: sim.default, mode: 'default', isError: false };
    return {
      result: { error: `no result for these arguments: ${JSON.stringify(args)}` },
      mode: 'error',
      isError: true,
    };
  }
  if (!simulator) {
    return {
      result: { error: 'tool unavailable: no simulator model is configured (roles.simulator)' },
      mode: 'error',
      isError: true,
    };
  }
  try {
    return { result: await simulator(tool, args), mode: 'simulator', isError: false };
  } catch (e) {
    return { result: { error: `tool failed: ${(e as Error).message}` }, mode: 'error', isError: true };
  }
}

/** Every key of `when` must equal the argument; strings compare trimmed and case-insensitively. */
export function argumentsMatch(when: Record<string, unknown>, args: unknown): boolean {
  if (args === null || typeof args !== 'object') return false;
  const given = args as Record<string, unknown>;
  return Object.entries(when).every(([key, expected]) => valuesEqual(expected, given[key]));
}

function valuesEqual(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && typeof actual === 'string')
    return expected.trim().toLowerCase() === actual.trim().toLowerCase();
  if (typeof expected === 'number' && typeof actual === 'string') return String(expected) === actual.trim();
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) return false;
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  return Object.keys(e).length === Object.keys(a).length && Object.keys(e).every((k) => valuesEqual(e[k], a[k]));
}
