// Issue 7's benchmark: 904 generated scenarios of 4 user turns each, run and judged against a fake
// provider that answers every call after 200 ms, at concurrency 64. Target: wall time at most
// 1.15 x the ideal, the ideal being (model calls x 0.2 s) / 64, with every item done (a failed
// item is a miss, not a shortcut). Peak memory of the engine's process is reported.
// Run: npx tsx bench/run.bench.ts [scenarios]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openBenchServices,
  runEveryScenario,
  startFakeProviderProcess,
  writeBenchScenarios,
} from './run-bench-setup.ts';
import { fmt, recordFigure } from './support.ts';

const COUNT = Number(process.argv[2] ?? 904);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 200);
const CONCURRENCY = 64;
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-run-'));
writeBenchScenarios(join(dir, 'scenarios'), COUNT);
const provider = await startFakeProviderProcess(LATENCY);
const services = await openBenchServices(dir, provider.url);
try {
  const { calls, items, done, wallMs } = await runEveryScenario(services, CONCURRENCY);
  const ideal = (calls * LATENCY) / CONCURRENCY;
  const peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  console.log(`${COUNT} scenarios x 4 turns + judge: ${calls} model calls, ${items} items, ${done} done`);
  console.log(
    `wall ${fmt(wallMs)}, ideal ${fmt(ideal)} (${calls} x ${LATENCY / 1000} s / ${CONCURRENCY}); peak memory ${peak.toFixed(0)} MB (the engine's process)`,
  );
  recordFigure('scenarios without a done item (failed, pending or missing)', COUNT - done, {
    atMost: 0,
    unit: 'items',
    digits: 0,
  });
  recordFigure('wall time / ideal', wallMs / ideal, { atMost: 1.15, unit: 'x', digits: 3 });
} finally {
  await services.close();
  provider.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
