// Issue 20's flat-cost check: the same engine, the same stand-in model server (its own process,
// BENCH_LATENCY ms a call, 200 by default), runs of 904 and of 3,616 generated 4-turn scenarios
// (each judged: 5 model calls an item) side by side in one process, after a short warm-up run so
// both are measured warm. For each: CPU per model call (process.cpuUsage of this process, which
// is the engine's, over the run / the calls) and wall time against the wave-bound ideal
// (calls x latency / concurrency). Gated: every item done; CPU per call at most 1.5 ms in each
// run (issue 20 point 2; both runs are warm: they follow the warm-up run in the same process); and
// CPU per call at 3,616 items within 1.25x of that at 904 (the cost of a call does not grow with the
// run). Wall time against the ideal is reported without a gate: on a shared machine wall time
// measures the neighbours as much as the engine.
// Run: npx tsx bench/run-flat-cost.bench.ts [small] [large]
// BENCH_PROFILE=1 also prints the functions that took the most of the engine's CPU in the large run
// (the sampling profiler adds some CPU of its own: take the figures from a run without it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openBenchServices,
  runEveryScenario,
  startFakeProviderProcess,
  writeBenchScenarios,
  type BenchRunResult,
} from './run-bench-setup.ts';
import { profileWhile, type ProfileEntry } from './cpu-profile.ts';
import { recordFigure } from './support.ts';

const SMALL = Number(process.argv[2] ?? 904);
const LARGE = Number(process.argv[3] ?? 3616);
const WARM_UP = 128;
const LATENCY = Number(process.env.BENCH_LATENCY ?? 200);
const CONCURRENCY = 64;

const provider = await startFakeProviderProcess(LATENCY);
const root = mkdtempSync(join(tmpdir(), 'crucible-bench-flat-'));

let profileTop: ProfileEntry[] = [];

async function measure(count: number, profile = false): Promise<BenchRunResult> {
  const dir = join(root, String(count));
  writeBenchScenarios(join(dir, 'scenarios'), count);
  const services = await openBenchServices(dir, provider.url);
  try {
    return await runEveryScenario(services, CONCURRENCY, async (run) => {
      if (!profile) return run();
      profileTop = (await profileWhile(run)).top;
    });
  } finally {
    await services.close();
  }
}

try {
  await measure(WARM_UP);
  const results: [number, BenchRunResult][] = [];
  for (const count of [SMALL, LARGE])
    results.push([count, await measure(count, count === LARGE && process.env.BENCH_PROFILE === '1')]);
  const perCall = (r: BenchRunResult) => r.cpuMs / r.calls;
  const ratio = (r: BenchRunResult) => r.wallMs / ((r.calls * LATENCY) / CONCURRENCY);
  console.log(`items   calls   done    wall s   ideal s  wall/ideal  CPU s   CPU ms/call`);
  for (const [count, r] of results) {
    console.log(
      [
        String(count).padEnd(7),
        String(r.calls).padEnd(7),
        String(r.done).padEnd(7),
        (r.wallMs / 1000).toFixed(1).padEnd(8),
        ((r.calls * LATENCY) / CONCURRENCY / 1000).toFixed(1).padEnd(8),
        ratio(r).toFixed(3).padEnd(11),
        (r.cpuMs / 1000).toFixed(1).padEnd(7),
        perCall(r).toFixed(3),
      ].join(' '),
    );
  }
  const [[, small], [, large]] = results as [[number, BenchRunResult], [number, BenchRunResult]];
  recordFigure(
    'items not done (failed, pending or missing), both runs',
    small.items - small.done + (large.items - large.done) + (SMALL - small.items) + (LARGE - large.items),
    {
      atMost: 0,
      unit: 'items',
      digits: 0,
    },
  );
  recordFigure(`CPU per call at ${LARGE} items / at ${SMALL} items`, perCall(large) / perCall(small), {
    atMost: 1.25,
    unit: 'x',
    digits: 3,
  });
  for (const [count, r] of results)
    recordFigure(`CPU per model call at ${count} items, warm`, perCall(r), { atMost: 1.5, unit: 'ms', digits: 3 });
  if (profileTop.length > 0) {
    console.log(`\nmost self time in the ${LARGE}-item run (sampling profiler, idle left out):`);
    for (const e of profileTop)
      console.log(`${e.ms.toFixed(0).padStart(8)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.name}`);
  }
} finally {
  provider.child.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}
