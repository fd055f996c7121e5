// Issue 2's benchmark: 10,000 generated scenario files.
//   cold index time (target >= 2,000 scenarios/s), API list/filter latency (target: a filtered
//   list within 100 ms), and the studio's time to render and filter the list in Chromium.
// Run: npx tsx bench/scenario-index.bench.ts [count]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScenarioCorpus } from '../server/scenarios/scenario.corpus.ts';
import { generateCorpus } from './generate-corpus.ts';
import { becomeFirstAdmin, fmt, percentile, recordFigure, startServerProcess, stopServerProcess } from './support.ts';
import { measureStudio } from './studio-list.ts';

const COUNT = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-'));
const scenariosDir = join(dir, 'scenarios');
try {
  console.log(`generating ${COUNT} scenario files...`);
  generateCorpus(scenariosDir, COUNT);

  // 1. Cold index: an empty database, every file read, checked and inserted.
  const dbPath = join(dir, 'crucible.sqlite');
  const db = openDatabase(dbPath);
  await migrateToLatest(db);
  const corpus = new ScenarioCorpus(db, scenariosDir);
  const cold = await corpus.indexAll();
  const warm = await corpus.indexAll();
  await db.destroy();
  const rate = (cold.files / cold.ms) * 1000;
  console.log(`cold index: ${cold.files} files in ${fmt(cold.ms)}`);
  recordFigure('cold index rate', rate, { atLeast: 2000, unit: 'scenarios/s', digits: 0 });
  console.log(`warm start (nothing changed): ${fmt(warm.ms)}`);

  // 2. API latency against a real server process on 127.0.0.1.
  const { url, child, adminLink } = await startServerProcess({
    CRUCIBLE_DB: dbPath,
    CRUCIBLE_SCENARIOS: scenariosDir,
    CRUCIBLE_CLIENT_DIR: join(process.cwd(), 'dist/client'),
  });
  try {
    const admin = await becomeFirstAdmin(url, adminLink!);
    const queries: [string, string][] = [
      ['everything (10k rows)', ''],
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
