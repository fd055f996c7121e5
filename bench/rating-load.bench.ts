// Issues 5 and 20 (point 8): 200 simulated raters looping next-task and submit against the real
// server (the shipped corpus, SQLite with a commit per rating). The server runs in its own process;
// this process is the load generator only. Targets: p99 <= 50 ms, no errors, and at most 2 ms of the
// server's own CPU per next + submit (read from /proc for the server process, so the load
// generator's CPU, which shares the machine's cores, is not counted; a loaded machine stretches
// latency but not CPU time, so the CPU figure is the one to trust on a shared machine). Each
// simulated rater pauses 200-1000 ms between requests: hundreds of times faster than a person
// reading a scenario, but a rater, not a flood. A pass with no pause at all, run first (it warms the
// server up), measures the saturated throughput (printed, not gated).
// Run: npx tsx bench/rating-load.bench.ts [seconds]
// BENCH_PROFILE=1 also prints where the server's time went (a V8 sampling profile of the server
// process, its start included; it samples wall time, so a commit waiting on fsync shows as the query
// running); BENCH_PROFILE_DIR=<folder> keeps the .cpuprofile there for Chrome's DevTools.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { statUserSystemMs } from '../server/scenarios/thread-cpu.ts';
import { raterLoops, ratersViaInvite } from './rater-loops.ts';
import { cpuByThreadDelta, cpuByThreadMs, processCpuMs, profilingArgs, serverProfileTop } from './server-cpu.ts';
import {
  becomeFirstAdmin,
  fmt,
  latencyLine,
  percentile,
  recordFigure,
  startServerProcess,
  stopServerProcess,
} from './support.ts';

const SECONDS = Number(process.argv[2] ?? 20);
const RATERS = 200;
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-rating-'));
cpSync('scenarios', join(dir, 'scenarios'), { recursive: true });
const PROFILE = process.env.BENCH_PROFILE === '1';
const profileDir = process.env.BENCH_PROFILE_DIR ?? join(dir, 'profile');
if (PROFILE) mkdirSync(profileDir, { recursive: true });
const { url, child, adminLink } = await startServerProcess(
  {
    CRUCIBLE_DB: join(dir, 'db.sqlite'),
    CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
    CRUCIBLE_MODELS: join(dir, 'none.yaml'),
  },
  PROFILE ? profilingArgs(profileDir) : [],
);
const json = { 'content-type': 'application/json' };

try {
  const admin = await becomeFirstAdmin(url, adminLink!);
  const asAdmin = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...json, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify(body),
    });

  async function runPass(name: string, pauseMs: () => number, seconds: number) {
    // 50 raters per scenario (the most a study allows) over the 85 shipped scenarios: 4,250 slots.
    const created = await asAdmin('/api/studies', { name, ratersPerItem: 50, filter: {} });
    if (created.status !== 201) throw new Error(`study not created: ${created.status} ${await created.text()}`);
    const study = (await created.json()) as { id: string };
    const invite = (await (
      await asAdmin('/api/admin/invites', { role: 'rater', studyId: study.id, maxUses: RATERS })
    ).json()) as { token: string };
    const raters = await ratersViaInvite(url, invite.token, RATERS, 'Rater');
    const serverCpuBefore = processCpuMs(child.pid!);
    const threadsBefore = cpuByThreadMs(child.pid!);
    const statBefore = statUserSystemMs(readFileSync(`/proc/${child.pid!}/stat`, 'utf8'));
    const generatorCpuBefore = process.cpuUsage();
    const { latency, errors, errorSamples, ended } = await raterLoops(
      raters,
      {
        nextUrl: `${url}/api/rate/studies/${study.id}/next`,
        submit: ({ leaseId }) => ({
          url: `${url}/api/rate/studies/${study.id}/ratings`,
          body: { leaseId, realism: 1 + Math.floor(Math.random() * 5), comment: 'fine' },
        }),
        // Not an error: the study is full (the saturated pass can fill all its slots) and the rater stops.
        doneEnds: true,
      },
      pauseMs,
      seconds,
    );
    const serverCpu = processCpuMs(child.pid!) - serverCpuBefore;
    const byThread = cpuByThreadDelta(threadsBefore, cpuByThreadMs(child.pid!));
    const stat = statUserSystemMs(readFileSync(`/proc/${child.pid!}/stat`, 'utf8'));
    const generatorCpu = process.cpuUsage(generatorCpuBefore);
    const all = [...latency.next, ...latency.submit];
    if (all.length === 0 || latency.submit.length === 0)
      throw new Error(`no ratings were made: ${errorSamples.join(' | ')}`);
    const p99 = percentile(all, 99);
    console.log(
      `${name}: ${latency.submit.length} ratings, ${all.length} requests in ${seconds} s (${(all.length / seconds).toFixed(0)} req/s), ${errors} errors`,
    );
    console.log(latencyLine('next', latency.next));
    console.log(latencyLine('submit', latency.submit));
    // A rater's cycle is one next and one submit; the few nexts that found nothing are counted in.
    const cpuPerCycle = serverCpu / latency.submit.length;
    console.log(
      `  server CPU ${(serverCpu / 1000).toFixed(1)} s: ${fmt(serverCpu / all.length)} per request, ${fmt(cpuPerCycle)} per next + submit; load generator CPU ${((generatorCpu.user + generatorCpu.system) / 1e6).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(2)}`,
    );
    console.log(
      `  server CPU by thread: ${byThread}; user ${((stat.user - statBefore.user) / 1000).toFixed(1)} s, system ${((stat.system - statBefore.system) / 1000).toFixed(1)} s`,
    );
    if (errorSamples.length) console.log(`  first errors: ${errorSamples.slice(0, 3).join(' | ')}`);
    if (ended) console.log(`  ${ended} of ${RATERS} raters found the study full and stopped before the pass ended`);
    return { p99, errors, cpuPerCycle };
  }

  // The saturated pass first: it also warms the server up (V8 compiles the hot paths in its first
  // seconds), so the gated paced pass measures the server warm, as it runs all day.
  await runPass('200 raters, no pause (saturation)', () => 0, Math.min(SECONDS, 10));
  const paced = await runPass('200 raters, 200-1000 ms between requests', () => 200 + Math.random() * 800, SECONDS);
  recordFigure('200 raters, next-task and submit, p99', paced.p99, { atMost: 50, unit: 'ms' });
  recordFigure('200 raters, failed requests', paced.errors, { atMost: 0, unit: 'requests', digits: 0 });
  recordFigure('200 raters, server CPU per next + submit', paced.cpuPerCycle, { atMost: 2, unit: 'ms', digits: 2 });
} finally {
  await stopServerProcess(child);
  if (PROFILE) {
    console.log('server self time, top functions:');
    for (const e of serverProfileTop(profileDir))
      console.log(`  ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(6)} ms  ${e.name}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
