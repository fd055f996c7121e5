import { setFlagsFromString } from 'node:v8';

/**
 * How much a function runs before V8 considers optimising it: four times V8's default interrupt
 * budget (67,584 bytecode bytes executed between checks), set as the server's first import.
 *
 * Why (issue 20 point 2): V8's tiering is tuned for a browser page. A server's run engine is glue
 * (HTTP, JSON, small queries) where hundreds of functions become "hot" within a few hundred model
 * calls, and their optimising compiles, on V8's helper threads, cost more CPU than the optimised
 * code saves in a run of that size. bench/run-startup.bench.ts, quiet machine, by thread: a fresh
 * server's 64-item run spent 120-160 ms of its 420-480 on those threads with the default, 30-50 ms
 * with this budget, and the run's CPU per model call fell from 1.31-1.50 ms to 1.00-1.13 (warm runs:
 * 1.0-1.16 ms to 0.69-0.81). What is really hot (a statistic's loops, the YAML parser over a
 * corpus) still reaches the optimiser; it gets there after four times the work, which in a loop of
 * any size is nothing. A budget given on the command line (`node --interrupt-budget=N`) is kept.
 *
 * V8 reads the budget whenever it resets a function's counter, so setting it at run time takes
 * effect for the code that runs after (every isolate of the process: the index's worker threads
 * too); it is set before the server's other modules load.
 */
export const SERVER_INTERRUPT_BUDGET = 4 * 67_584;

if (!process.execArgv.some((arg) => arg.startsWith('--interrupt-budget')))
  setFlagsFromString(`--interrupt-budget=${SERVER_INTERRUPT_BUDGET}`);
