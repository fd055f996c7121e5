// Issue 6's page benchmark: the calibration page with 5,000 annotated transcripts (3 annotators
// each, 37 behaviours) loads within 1 s in Chromium: from navigation to the metrics and the
// disagreement list on screen (the server computes every metric with 1,000 bootstrap resamples).
// Both loads are gated: the first, where the server computes the report (nothing has asked for it
// since the server started), and the later ones, served from the report cached per data version.
// On the first load the page shows the metrics (estimates, computed at once) before their 95%
// intervals (the bootstrap, on the server's calibration thread): the time to every interval on
// screen is gated too, at 2 s (issue 6's target for computing every metric with its intervals).
// Runs the bundled server (npm start's; bench/support.ts). Run: npx tsx bench/calibration-page.bench.ts [transcripts]
// (BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' profiles the server.)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { Page } from 'playwright-core';
import { launchChromium } from '../tests/setup/chromium.ts';
import { seedShippedCalibration } from './calibration-seed.ts';
import { becomeFirstAdmin, fmt, percentile, recordFigure, startServerProcess, stopServerProcess } from './support.ts';

const TRANSCRIPTS = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-cal-'));
cpSync('scenarios', join(dir, 'scenarios'), { recursive: true });
const dbPath = join(dir, 'db.sqlite');
const db = openDatabase(dbPath);
await migrateToLatest(db);
const { studyId, judgeVersionId } = await seedShippedCalibration(db, TRANSCRIPTS);
await db.destroy();

const { url, child, adminLink } = await startServerProcess(
  {
    CRUCIBLE_DB: dbPath,
    CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
    CRUCIBLE_MODELS: join(dir, 'none.yaml'),
    CRUCIBLE_CLIENT_DIR: join(process.cwd(), 'dist/client'),
  },
  (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
);

/**
 * Resolves in the first animation frame where an element of each test id is on the page (and none
 * of `absent`). Checked every frame: Playwright's own waits poll at growing intervals (up to
 * 500 ms apart), which would add their delay to the figure.
 */
async function onScreen(page: Page, testIds: string[], absent?: string): Promise<void> {
  await page.waitForFunction(
    ({ ids, gone }) =>
      ids.every((id) => document.querySelector(`[data-testid="${id}"]`) !== null) &&
      (gone === null || document.querySelector(`[data-testid="${gone}"]`) === null),
    { ids: testIds, gone: absent ?? null },
    { polling: 'raf', timeout: 30_000 },
  );
}

const browser = await launchChromium();
try {
  const admin = await becomeFirstAdmin(url, adminLink!);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name: 'crucible_session', value: admin.token, url }]);
  const page = await context.newPage();
  await page.goto(`${url}/studio`); // warm the studio's own bundle and session first (not the report)
  await page.getByTestId('scenario-row').first().waitFor();
  // The first load computes the report; the next ones are served from its cache. The page shows
  // the metrics as soon as they are computed and the intervals when the bootstrap is done.
  const loads: number[] = [];
  let intervalsMs = 0;
  // A light request every 20 ms during the first load: the bootstrap runs on the calibration
  // thread, so the server's event loop (and every rater's request) should not wait on it.
  let polling = true;
  const healthMs: number[] = [];
  const poll = (async () => {
    while (polling) {
      const t = performance.now();
      await fetch(`${url}/api/health`);
      healthMs.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    await page.goto(`${url}/studio/calibration?study=${studyId}&judge=${judgeVersionId}`);
    await onScreen(page, ['cal-stats', 'disagreement']);
    loads.push(performance.now() - t);
    await onScreen(page, ['group-ci'], 'cal-intervals-pending');
    if (i === 0) {
      intervalsMs = performance.now() - t;
      polling = false;
      await poll;
    }
  }
  const t = performance.now();
  await (
    await fetch(`${url}/api/calibration?studyId=${studyId}&judgeVersionId=${judgeVersionId}`, {
      headers: { cookie: admin.cookie },
    })
  ).json();
  console.log(
    `${TRANSCRIPTS} annotated transcripts (${TRANSCRIPTS * 3} annotations); GET /api/calibration from the cache ${fmt(performance.now() - t)}`,
  );
  const cached = loads.slice(1);
  console.log(`cached page loads: ${cached.map(fmt).join(', ')}`);
  recordFigure('calibration page, first load (report computed), navigation to metrics', loads[0]!, {
    atMost: 1000,
    unit: 'ms',
  });
  console.log(
    `during the first load, GET /api/health every 20 ms: ${healthMs.length} requests, p50 ${fmt(percentile(healthMs, 50))}, max ${fmt(Math.max(...healthMs))}`,
  );
  recordFigure('calibration page, first load, navigation to every interval on screen', intervalsMs, {
    atMost: 2000,
    unit: 'ms',
  });
  recordFigure('calibration page, later loads (report cached), p50', percentile(cached, 50), {
    atMost: 1000,
    unit: 'ms',
  });
} finally {
  await browser.close();
  await stopServerProcess(child);
  rmSync(dir, { recursive: true, force: true });
}
