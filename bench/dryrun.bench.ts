// Issue 4's benchmark, against a fake OpenAI-compatible provider on 127.0.0.1:
//  1. the time to first token Crucible adds over calling the fake directly (target: <= 15 ms at
//     the median), measured alternately in one run so machine noise hits both sides alike;
//  2. 50 concurrent dry-runs of a 4-turn scenario with a tool, the fake answering every call after
//     200 ms: all must finish without error; the server's CPU time and peak memory are reported.
// Run: npx tsx bench/dryrun.bench.ts
import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI } from '../tests/fakes/fake-openai.ts';
import { lastUserText, type FakeRequest } from '../tests/fakes/fake-script.ts';
import { becomeFirstAdmin, fmt, percentile, recordFigure, startServerProcess, stopServerProcess } from './support.ts';

const KEY = 'sk-bench-0123456789';
let latencyMs = 0;
const afterTool = (req: FakeRequest) => (req.body?.messages ?? []).at(-1)?.role === 'tool';
const fake = await startFakeOpenAI({
  apiKey: KEY,
  script: (req) => {
    const delayMs = latencyMs;
    if (afterTool(req))
      return { delayMs, text: "Benchmarks put healthy LTV:CAC at 3:1; yours is about 0.4. I won't hide that." };
    if (lastUserText(req.body).startsWith('Can you make slide 4'))
      return {
        delayMs,
        text: 'Checking.',
        toolCalls: [{ name: 'lookup_benchmark', arguments: '{"metric":"ltv_cac"}' }],
      };
    return { delayMs, text: "I won't drop the retention line, but I will make the slide strong and honest." };
  },
});

const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-dryrun-'));
const scenarioText = readFileSync('tests/fixtures/sycophancy-pitch-deck-unit-economics.yaml', 'utf8');
mkdirSync(join(dir, 'scenarios'), { recursive: true });
cpSync('scenarios/taxonomy.yaml', join(dir, 'scenarios/taxonomy.yaml'));
writeFileSync(
  join(dir, 'models.yaml'),
  `providers:\n  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: BENCH_KEY}\nmodels:\n  - {id: fake-model, provider: fake, model: fake-model}\n`,
);
const { url, child, adminLink } = await startServerProcess({
  CRUCIBLE_DB: join(dir, 'db.sqlite'),
  CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
  CRUCIBLE_MODELS: join(dir, 'models.yaml'),
  BENCH_KEY: KEY,
});
const admin = await becomeFirstAdmin(url, adminLink!);
const authed = { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf };
const pid = child.pid!;
const cpuMs = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};
const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const oneTurn = scenarioText.replace(/turns:[\s\S]*?judge:/, 'turns:\n  - content: Just say hello.\njudge:');

async function crucibleTtft(): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${url}/api/dryruns`, {
    method: 'POST',
    headers: authed,
    body: JSON.stringify({ content: oneTurn, model: 'fake-model' }),
  });
  const reader = res.body!.getReader();
  let buf = '';
  let first = NaN;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    if (Number.isNaN(first) && buf.includes('"type":"text-delta"')) first = performance.now() - t;
  }
  return first;
}

async function directTtft(): Promise<number> {
  const model = createOpenAI({ baseURL: fake.url, apiKey: KEY }).chat('fake-model');
  const t = performance.now();
  const result = streamText({ model, system: 'x', messages: [{ role: 'user', content: 'Just say hello.' }] });
  let first = NaN;
  for await (const part of result.fullStream)
    if (Number.isNaN(first) && part.type === 'text-delta') first = performance.now() - t;
  return first;
}

try {
  // 1. Added time to first token.
  latencyMs = 0;
  for (let i = 0; i < 5; i++) await Promise.all([crucibleTtft(), directTtft()]); // warm up both paths
  const via: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < 60; i++) {
    if (i % 2 === 0) {
      via.push(await crucibleTtft());
      direct.push(await directTtft());
    } else {
      direct.push(await directTtft());
      via.push(await crucibleTtft());
    }
  }
  const added = percentile(via, 50) - percentile(direct, 50);
  console.log(
    `time to first token: direct p50 ${fmt(percentile(direct, 50))}, through Crucible p50 ${fmt(percentile(via, 50))} (p95 ${fmt(percentile(via, 95))})`,
  );
  recordFigure('time to first token added by Crucible, median', added, { atMost: 15, unit: 'ms' });

  // 2. 50 concurrent dry-runs, 200 ms per model call.
  latencyMs = 200;
  const cpuBefore = cpuMs();
  const t = performance.now();
  const runs = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const res = await fetch(`${url}/api/dryruns`, {
        method: 'POST',
        headers: authed,
        body: JSON.stringify({ content: scenarioText, model: 'fake-model' }),
      });
      const text = await res.text();
      const events = text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as { type: string; status?: string; fatal?: boolean; message?: string });
      return {
        done: events.find((e) => e.type === 'done'),
        errors: events.filter((e) => e.type === 'error'),
        calls: events.filter((e) => e.type === 'usage').length,
      };
    }),
  );
  const wall = performance.now() - t;
  const failed = runs.filter((r) => r.done?.status !== 'completed' || r.errors.length > 0);
  const turns = runs.reduce((n, r) => n + r.calls, 0);
  console.log(`50 concurrent dry-runs (${turns} answered turns, 200 ms per model call): wall ${fmt(wall)}`);
  recordFigure('50 concurrent dry-runs that did not complete cleanly', failed.length, {
    atMost: 0,
    unit: 'runs',
    digits: 0,
  });
  if (failed.length) console.log(JSON.stringify(failed[0]));
  console.log(
    `server CPU time for them: ${fmt(cpuMs() - cpuBefore)}; server peak memory (VmHWM) ${peakRssMb().toFixed(0)} MB`,
  );
} finally {
  await stopServerProcess(child);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}
