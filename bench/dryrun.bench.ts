// Issue 20 point 6: what a dry-run costs over the model call it makes. Against a fake
// OpenAI-compatible provider in its own process (bench/dryrun-fake-provider-process.ts), with
// Crucible's server in another (bench/support.ts startServerProcess):
//  1. The time to first token Crucible adds over a bare HTTP stream: one client (fetch) reads, in
//     alternation, the fake provider's own SSE stream (the same chat request Crucible sends) and a
//     dry-run's SSE stream, each until its first text token. Gate: p50 through Crucible minus p50
//     direct <= 10 ms. The median, because the 18-20 ms was a median and the target is the
//     same figure; on two cores shared with other work the p95 measures the neighbours' bursts as
//     much as Crucible, so it is printed beside it, not gated. Every dry-run sends a text the server
//     has not seen (a draft being edited), so no cache of parsed scenarios flatters the figure.
//  2. Server CPU per answered turn: 50 concurrent dry-runs of the 4-turn scenario with a tool call
//     (3 answered turns each; the fake answers every call after 200 ms), in three measured rounds
//     after a warm-up one. The server's CPU (user + system, every thread) is read from
//     /proc/<pid>/stat: load on the machine stretches wall time, far less CPU time. Gate: the median
//     round <= 5 ms per answered turn; every dry-run of every round must complete cleanly.
// BENCH_PROFILE=1 runs the server under `node --cpu-prof` and prints its self time by package or file.
// Run: npx tsx bench/dryrun.bench.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { becomeFirstAdmin, fmt, percentile, recordFigure, startServerProcess, stopServerProcess } from './support.ts';
import { loadAverage, processCpuMs, profilingArgs } from './server-cpu.ts';

const KEY = 'sk-bench-0123456789';
const CONCURRENT = 50;
const PAIRS = 60;
const ROUNDS = 3;
const profileDir = process.env.BENCH_PROFILE === '1' ? mkdtempSync(join(tmpdir(), 'crucible-dryrun-prof-')) : null;

async function startFake(latencyMs: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/dryrun-fake-provider-process.ts'], {
    env: { ...process.env, BENCH_LATENCY: String(latencyMs), BENCH_KEY: KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url, child };
}

/**
 * Self time in V8 CPU profiles (as `node --cpu-prof` writes them) summed by npm package, node
 * module or source file: where a request's cost goes is clearer by layer than by function.
 */
function selfTimeByFile(paths: string[]): [string, number][] {
  const ms = new Map<string, number>();
  for (const path of paths) {
    const profile = JSON.parse(readFileSync(path, 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const { functionName, url } = frames.get(id)!;
      if (functionName === '(idle)') return;
      const name =
        /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.split('/').slice(-2).join('/') || functionName);
      ms.set(name, (ms.get(name) ?? 0) + profile.timeDeltas[i]! / 1000);
    });
  }
  return [...ms].sort((a, b) => b[1] - a[1]);
}

/** Reads a response body until `firstToken` matches what arrived; the ms from `start` to then. */
async function msToFirstToken(res: Response, start: number, firstToken: RegExp): Promise<number> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  let first = NaN;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (Number.isNaN(first)) {
      seen += decoder.decode(value, { stream: true });
      if (firstToken.test(seen)) first = performance.now() - start;
    }
  }
  if (Number.isNaN(first)) throw new Error(`no token in the stream: ${seen.slice(0, 500)}`);
  return first;
}

const fast = await startFake(0);
const slow = await startFake(200);
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-dryrun-'));
const scenarioText = readFileSync('tests/fixtures/sycophancy-pitch-deck-unit-economics.yaml', 'utf8');
const oneTurn = scenarioText.replace(/turns:[\s\S]*?judge:/, 'turns:\n  - content: Just say hello.\njudge:');
mkdirSync(join(dir, 'scenarios'), { recursive: true });
cpSync('scenarios/taxonomy.yaml', join(dir, 'scenarios/taxonomy.yaml'));
writeFileSync(
  join(dir, 'models.yaml'),
  [
    'providers:',
    `  - {id: fast, kind: openai, base_url: "${fast.url}", api_key_env: BENCH_KEY}`,
    `  - {id: slow, kind: openai, base_url: "${slow.url}", api_key_env: BENCH_KEY}`,
    'models:',
    '  - {id: fake-fast, provider: fast, model: fake-model}',
    '  - {id: fake-slow, provider: slow, model: fake-model}',
    '',
  ].join('\n'),
);
const server = await startServerProcess(
  {
    CRUCIBLE_DB: join(dir, 'db.sqlite'),
    CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
    CRUCIBLE_MODELS: join(dir, 'models.yaml'),
    BENCH_KEY: KEY,
  },
  profileDir ? profilingArgs(profileDir) : [],
);
const admin = await becomeFirstAdmin(server.url, server.adminLink!);
const authed = { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf };
let drafts = 0;

/** A dry-run of one turn on the fast fake, read until its first token. */
async function crucibleTtft(): Promise<number> {
  const content = `# draft ${drafts++}\n${oneTurn}`;
  const start = performance.now();
  const res = await fetch(`${server.url}/api/dryruns`, {
    method: 'POST',
    headers: authed,
    body: JSON.stringify({ content, model: 'fake-fast' }),
  });
  return msToFirstToken(res, start, /"type":"text-delta"/);
}

// What Crucible sends the provider for that turn (the fake answers from the last user message),
// read by the same client: the bare HTTP stream.
let bareBody = '';
async function directTtft(): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${fast.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: bareBody,
  });
  return msToFirstToken(res, start, /"content":"[^"]/);
}

interface DryRunOutcome {
  completed: boolean;
  answeredTurns: number;
  firstProblem: string | null;
}

async function concurrentDryRuns(n: number): Promise<DryRunOutcome[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${server.url}/api/dryruns`, {
        method: 'POST',
        headers: authed,
        body: JSON.stringify({ content: `# draft ${drafts++}\n${scenarioText}`, model: 'fake-slow' }),
      });
      const events = (await res.text())
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as { type: string; status?: string; message?: string });
      const done = events.find((e) => e.type === 'done');
      const error = events.find((e) => e.type === 'error');
      return {
        completed: done?.status === 'completed' && !error,
        answeredTurns: events.filter((e) => e.type === 'usage').length,
        firstProblem: error?.message ?? (done ? null : `status ${res.status}, no done event`),
      };
    }),
  );
}

try {
  console.log(`load average at start: ${loadAverage()}`);
  bareBody = JSON.stringify({
    model: 'fake-model',
    messages: [
      { role: 'system', content: scenarioText.split('system: |\n')[1]!.split('  context:')[0] },
      { role: 'user', content: 'Just say hello.' },
    ],
    stream: true,
    stream_options: { include_usage: true },
  });

  // 1. Added time to first token, alternating which side goes first.
  for (let i = 0; i < 10; i++) await Promise.all([crucibleTtft(), directTtft()]); // warm up both paths
  const via: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      via.push(await crucibleTtft());
      direct.push(await directTtft());
    } else {
      direct.push(await directTtft());
      via.push(await crucibleTtft());
    }
  }
  console.log(
    `time to first token over ${PAIRS} pairs: bare HTTP p50 ${fmt(percentile(direct, 50))} p95 ${fmt(percentile(direct, 95))}; ` +
      `through Crucible p50 ${fmt(percentile(via, 50))} p95 ${fmt(percentile(via, 95))}; ` +
      `added at p95 ${fmt(percentile(via, 95) - percentile(direct, 95))} (not gated)`,
  );
  recordFigure('time to first token added over a bare HTTP stream, p50', percentile(via, 50) - percentile(direct, 50), {
    atMost: 10,
    unit: 'ms',
  });

  // 2. Server CPU per answered turn, 50 concurrent dry-runs, 200 ms per model call: a warm-up round,
  // then ROUNDS measured ones, gated on their median (one round on a loaded machine can catch a burst).
  await concurrentDryRuns(CONCURRENT);
  const pid = server.child.pid!;
  const perTurn: number[] = [];
  const failed: DryRunOutcome[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const cpuBefore = processCpuMs(pid);
    const t = performance.now();
    const runs = await concurrentDryRuns(CONCURRENT);
    const wall = performance.now() - t;
    const cpu = processCpuMs(pid) - cpuBefore;
    const turns = runs.reduce((s, r) => s + r.answeredTurns, 0);
    failed.push(...runs.filter((r) => !r.completed));
    perTurn.push(turns > 0 ? cpu / turns : NaN);
    console.log(
      `round ${round + 1}: ${CONCURRENT} concurrent dry-runs, ${turns} answered turns, wall ${fmt(wall)} (ideal about 800 ms: 4 calls of 200 ms), server CPU ${fmt(cpu)}, ${perTurn.at(-1)!.toFixed(2)} ms per answered turn`,
    );
  }
  recordFigure(`${CONCURRENT} concurrent dry-runs that did not complete cleanly (${ROUNDS} rounds)`, failed.length, {
    atMost: 0,
    unit: 'runs',
    digits: 0,
  });
  if (failed.length) console.log(`first problem: ${failed[0]!.firstProblem}`);
  recordFigure('server CPU per answered turn, 50 concurrent dry-runs, median of rounds', percentile(perTurn, 50), {
    atMost: 5,
    unit: 'ms',
    digits: 2,
  });
  console.log(`load average at end: ${loadAverage()}`);
} finally {
  await stopServerProcess(server.child);
  for (const f of [fast, slow]) {
    f.child.kill('SIGTERM');
  }
  if (profileDir) {
    const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    console.log('server profile, self time by package or file (whole run, idle left out):');
    for (const [name, ms] of selfTimeByFile(files.map((f) => join(profileDir, f))).slice(0, 25))
      console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
    rmSync(profileDir, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
}
