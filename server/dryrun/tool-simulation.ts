import type { Tool } from '../../schema/scenario.ts';
import { argumentsMatch } from './argument-matchers.ts';
import { hasTemplates, renderValue, stateAfterEffects, type ToolWorld } from './tool-state.ts';

export { argumentsMatch } from './argument-matchers.ts';

export interface SimulatedResult {
  result: unknown;
  mode: 'fixed' | 'case' | 'default' | 'simulator' | 'error';
  isError: boolean;
  /** The scenario's state after this call (scenarios with `state` only). */
  state?: Record<string, unknown>;
}

/** Invents a result with a simulator model; throws when the model fails. `state`: the world after the call's effects. */
export type SimulatorCall = (tool: Tool, args: unknown, state?: Record<string, unknown>) => Promise<unknown>;

/**
 * The result of a call to a simulated tool: the fixed result, the first matching case (or the
 * default), or the simulator model's invention. Never throws: a failure is an error result the
 * model sees, as it would see a failing real tool. With a world (the scenario declares `state`),
 * a successful call applies the tool's effects first, and the result reads the state after them;
 * a failed call changes nothing. Calls on one world run one at a time: a model may call several
 * tools in one step, and each must see the state the one before it left.
 */
export async function simulateToolCall(
  tool: Tool,
  args: unknown,
  simulator: SimulatorCall | null,
  world: ToolWorld | null = null,
): Promise<SimulatedResult> {
  if (!world) return simulateOnce(tool, args, simulator, null);
  const turn = (world.pending ?? Promise.resolve()).then(() => simulateOnce(tool, args, simulator, world));
  world.pending = turn.catch(() => undefined);
  return turn;
}

async function simulateOnce(
  tool: Tool,
  args: unknown,
  simulator: SimulatorCall | null,
  world: ToolWorld | null,
): Promise<SimulatedResult> {
  const next = world ? stateAfterEffects(world.state, tool, args) : undefined;
  const made = await resultOf(tool, args, simulator, next);
  if (made.isError) return world ? { ...made, state: world.state } : made;
  if (world && next) world.state = next;
  const result =
    made.mode !== 'simulator' && hasTemplates(made.result)
      ? renderValue(made.result, { args, state: next ?? {} })
      : made.result;
  return world ? { ...made, result, state: world.state } : { ...made, result };
}

async function resultOf(
  tool: Tool,
  args: unknown,
  simulator: SimulatorCall | null,
  state: Record<string, unknown> | undefined,
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
    return { result: await simulator(tool, args, state), mode: 'simulator', isError: false };
  } catch (e) {
    return { result: { error: `tool failed: ${(e as Error).message}` }, mode: 'error', isError: true };
  }
}
