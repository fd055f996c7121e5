import { setFlagsFromString } from 'node:v8';

/** V8's own interrupt budget (bytecode bytes executed between its checks for optimising a function). */
const V8_DEFAULT_BUDGET = 67_584;

/**
 * How much a function runs before V8 considers optimising it, in a server: four times V8's default
 * (server-tiering.ts sets it, as the first import of the server and the command line).
 *
 * Why (issue 20 point 2): V8's tiering is tuned for a browser page. A server's run engine is glue
 * (HTTP, JSON, small queries) where hundreds of functions become "hot" within a few hundred model
 * calls, and their optimising compiles, on V8's helper threads, cost more CPU than the optimised
 * code saves in a run of that size. bench/run-startup.bench.ts, quiet machine, by thread: a fresh
 * server's 64-item run spent 120-160 ms of its 420-480 on those threads with the default, 30-50 ms
 * with this budget, and its CPU per model call fell from 1.31-1.50 ms to 1.03-1.09 (warm runs:
 * 1.0-1.16 ms to 0.75-0.91). Long runs gain nothing and lose nothing (run-flat-cost 0.84 / 0.71 ms
 * per call either way). A bulk index is the exception: its workers parse thousands of files with
 * a few functions that the optimiser pays back at once, and they lost 10% with this budget (the
 * cold index bench, 4,670-4,740 files/s against 4,160-4,290), so it runs with V8's default
 * (withDefaultTiering).
 *
 * V8 reads the budget whenever it resets a function's counter, so a change at run time takes effect
 * for the code that runs after, in every isolate of the process (the index's worker threads too).
 * A budget given on node's command line (`node --interrupt-budget=N`) is kept, and never changed.
 */
export const SERVER_INTERRUPT_BUDGET = 4 * V8_DEFAULT_BUDGET;

/** The server's budget, once set (null: V8's default, or the command line's). */
let serverBudget: number | null = null;
/** Bulk work under way that asked for V8's default (withDefaultTiering). */
let defaultTieringUsers = 0;

/** Sets the server's budget for the whole process, unless node's command line gave one. */
export function useServerTiering(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--interrupt-budget'))) return;
  serverBudget = SERVER_INTERRUPT_BUDGET;
  if (defaultTieringUsers === 0) setFlagsFromString(`--interrupt-budget=${serverBudget}`);
}

/**
 * Runs bulk parsing work (a cold index's worker threads) with V8's default budget, and sets the
 * server's back once no such work is left. Nothing changes in a process that kept V8's default.
 */
export async function withDefaultTiering<T>(work: () => Promise<T>): Promise<T> {
  if (serverBudget === null) return work();
  if (defaultTieringUsers++ === 0) setFlagsFromString(`--interrupt-budget=${V8_DEFAULT_BUDGET}`);
  try {
    return await work();
  } finally {
    if (--defaultTieringUsers === 0 && serverBudget !== null) setFlagsFromString(`--interrupt-budget=${serverBudget}`);
  }
}

/** The interrupt budget V8 runs with now, as this module set it (null: never set here). */
export const tieringBudgetSet = (): number | null =>
  serverBudget === null ? null : defaultTieringUsers > 0 ? V8_DEFAULT_BUDGET : serverBudget;
