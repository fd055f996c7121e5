// Issue 16's run-worker benchmark: a 904-scenario x 4-turn judged run split over 3 `crucible
// worker` processes (21 + 21 + 22 = 64 items at once in all) against the fake provider answering
// every call after 200 ms. Targets: wall time at most 1.10 x the wave-bound ideal issue 16 names;
// every item done; no item run twice (the provider received no call beyond those of the stored
// transcripts and verdicts, and every item has exactly one transcript).
// The wave-bound ideal: an item's 5 calls run one after another, so a slot runs whole items, and
// 904 items over 64 slots make 15 waves (14 x 64 + 8) of 5 calls: no engine can finish in less
// than 15 x 5 x 0.2 s = 15.0 s. Earlier versions of this bench gated the fluid bound (model calls
// x 0.2 s / 64 = 14.125 s), which no engine can reach (1.062 x of it is the last short wave); it
// is printed beside the gated figure, so the engine's own overhead (a run's start reaching the
// workers, claims, commits, CPU per call) can still be read off against either.
// The server process only creates the run (CRUCIBLE_RUN_ITEMS=workers): the workers run it.
// Also reported (not gated): the workers' CPU per model call (their user + system time over the
// run, from /proc, / the calls) and the load average, which says how far the wall ratio measured
// the machine's other work rather than the workers.
// Run: npx tsx bench/run-workers.bench.ts [scenarios]
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_JUDGE_PROMPT } from '../server/judge/judge-prompt.ts';
import { createJudgeVersion } from '../server/judge/judge.repository.ts';
import { RunExecutor } from '../server/runs/run.executor.ts';
import { createRun } from '../server/runs/run.repository.ts';
import {
  modelCallsStored,
  openBenchServices,
  startFakeProviderProcess,
  writeBenchScenarios,
} from './run-bench-setup.ts';
import { fmt, recordFigure } from './support.ts';
import { loadAverage, processCpuMs } from './server-cpu.ts';

const COUNT = Number(process.argv[2] ?? 904);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 200);
const SPLIT = [22, 21, 21];
const CONCURRENCY = SPLIT.reduce((a, b) => a + b, 0);
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-workers-'));
writeBenchScenarios(join(dir, 'scenarios'), COUNT);
const provider = await startFakeProviderProcess(LATENCY);
const services = await openBenchServices(dir, provider.url);
const workers: ChildProcess[] = [];

/** A `crucible worker` process on the bench database; resolves once it is looking for runs. */
async function startWorker(concurrency: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli/crucible.ts', 'worker', '--concurrency', String(concurrency)],
    {
      env: {
        ...process.env,
        BENCH_KEY: 'sk-bench',
        CRUCIBLE_DB: join(dir, 'db.sqlite'),
        CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
        CRUCIBLE_MODELS: join(dir, 'models.yaml'),
        CRUCIBLE_SECRETS: join(dir, 'none.env'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  workers.push(child);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/^worker [0-9a-f-]{36}:/m.test(log)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${log}`)));
  });
  return child;
}

/** How many requests the fake provider has answered (it prints the count on SIGUSR2). */
async function providerRequests(): Promise<number> {
  const line = new Promise<string>((resolve) => {
    const onData = (d: Buffer) => {
      const m = /^requests (\d+)$/m.exec(d.toString());
      if (m) {
        provider.child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    provider.child.stdout!.on('data', onData);
  });
  provider.child.kill('SIGUSR2');
  return Number(await line);
}

try {
  await Promise.all(SPLIT.map((n) => startWorker(n)));
  const judge = await createJudgeVersion(services.db, {
    name: 'bench',
    settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT, maxAttempts: 2 },
    reason: 'bench',
    createdBy: null,
  });
  const created = await createRun(
    services.db,
    services.corpus,
    {
      name: 'bench',
      settings: {
        models: ['target'],
        filter: { scope: 'all' },
        judgeVersionId: judge.id,
        concurrency: CONCURRENCY,
        perProviderConcurrency: CONCURRENCY,
        useCache: false,
      },
    },
    null,
  );
  if (!created.ok) throw new Error(created.message);
  const before = await providerRequests();
  const cpuBefore = workers.map((w) => processCpuMs(w.pid!));
  const t = performance.now();
  // What a server with CRUCIBLE_RUN_ITEMS=workers does on POST /api/runs: mark it running, for the workers.
  await new RunExecutor(services.db, services.corpus, services.models, { placement: 'workers' }).start(created.id);
  for (;;) {
    const run = await services.db.selectFrom('run').select('status').where('id', '=', created.id).executeTakeFirst();
    if (run?.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const wallMs = performance.now() - t;
  const workerCpuMs = workers.map((w) => processCpuMs(w.pid!)).reduce((sum, ms, i) => sum + ms - cpuBefore[i]!, 0);
  const received = (await providerRequests()) - before;

  const calls = await modelCallsStored(services, created.id, judge.id);
  const items = await services.db
    .selectFrom('run_item')
    .select(['status', 'dry_run_id'])
    .where('run_id', '=', created.id)
    .execute();
  const transcripts = await services.db.selectFrom('dry_run').select('id').where('run_id', '=', created.id).execute();
  const done = items.filter((i) => i.status === 'done').length;
  const ideal = (calls * LATENCY) / CONCURRENCY;
  console.log(
    `${COUNT} scenarios x 4 turns + judge over ${SPLIT.length} workers (${SPLIT.join(' + ')} = ${CONCURRENCY} at once): ${calls} model calls stored, ${received} received by the provider, ${items.length} items, ${done} done, ${transcripts.length} transcripts`,
  );
  // Every item makes the same calls: the wave bound is the waves a slot runs times one item's calls.
  const waveBound = Math.ceil(COUNT / CONCURRENCY) * (calls / COUNT) * LATENCY;
  console.log(
    `wall ${fmt(wallMs)}, fluid bound ${fmt(ideal)} (${calls} x ${LATENCY / 1000} s / ${CONCURRENCY}): wall / fluid bound ${(wallMs / ideal).toFixed(3)} x (printed, not gated)`,
  );
  console.log(
    `wave-bound ideal ${fmt(waveBound)} (${Math.ceil(COUNT / CONCURRENCY)} waves x ${calls / COUNT} calls x ${LATENCY / 1000} s): wall / wave bound ${(wallMs / waveBound).toFixed(3)} x (gated)`,
  );
  console.log(
    `workers' CPU ${fmt(workerCpuMs)} in all, ${(workerCpuMs / calls).toFixed(3)} ms per model call; load average ${loadAverage()}`,
  );
  recordFigure('items not done (failed, pending or missing)', items.length - done + (COUNT - items.length), {
    atMost: 0,
    unit: 'items',
    digits: 0,
  });
  // An item run twice would have called the provider again (its second result refused by the lease):
  // calls beyond the stored transcripts' and verdicts', or a second transcript.
  recordFigure('model calls beyond the stored results (an item run twice)', received - calls, {
    atMost: 0,
    unit: 'calls',
    digits: 0,
  });
  recordFigure('transcripts beyond one per item', transcripts.length - new Set(items.map((i) => i.dry_run_id)).size, {
    atMost: 0,
    unit: 'transcripts',
    digits: 0,
  });
  recordFigure('wall time / wave-bound ideal', wallMs / waveBound, { atMost: 1.1, unit: 'x', digits: 3 });
} finally {
  for (const w of workers) {
    if (w.exitCode !== null) continue;
    w.kill('SIGTERM');
    await once(w, 'exit');
  }
  await services.close();
  provider.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
