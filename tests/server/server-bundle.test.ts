import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate-corpus.ts';
import { bundleServer } from '../../server/bundle/server-bundle.ts';
import { computeCalibration, type CalibrationItem } from '../../server/calibration/calibration-metrics.ts';
import { budget } from '../support/budget.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// The server as `npm start` runs it (issue 20 point 7): bundled by esbuild and started with plain
// node, not tsx. Built here from the current sources into a folder of its own (inside the project,
// where the bundle finds better-sqlite3 in node_modules), so a module the bundle cannot load, a
// path that only resolves under tsx, or a worker entry missing from the bundle fails this test.

/** More changed files than the indexer reads on its own thread: a cold index starts index workers. */
const FILES = 2_100;

const bundleDir = join(PROJECT_ROOT, '.tmp', `server-bundle-${process.pid}-${Date.now()}`);
const dir = mkdtempSync(join(tmpdir(), 'crucible-bundle-'));
let database: TestDatabase;
let server: ServerProcess | null = null;

beforeAll(async () => {
  const built = await bundleServer(bundleDir);
  expect(built.map((f) => f.split('/').pop()).sort()).toEqual([
    'calibration.worker.js',
    'main.js',
    'scenario-index.worker.js',
  ]);
  generateCorpus(join(dir, 'scenarios'), FILES, PROJECT_ROOT);
  database = await createTestDatabase(dir);
  server = await startServerProcess(
    {
      ...process.env,
      CRUCIBLE_PORT: '0',
      CRUCIBLE_DB: database.url,
      CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
      CRUCIBLE_MODELS: join(dir, 'none.yaml'),
      CRUCIBLE_SECRETS: join(dir, 'none.env'),
      CRUCIBLE_ANNOTATIONS: join(dir, 'annotations'),
    },
    [join(bundleDir, 'main.js')],
  );
}, budget(120_000));

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await once(server.child, 'exit');
  }
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
});

describe('the bundled server (npm start)', () => {
  it(
    'indexes a cold corpus on its bundled index workers, serves the studio page and the API, and stops cleanly',
    async () => {
      const { url, adminLink, child, output } = server!;

      // Every file was read (a cold index), by the workers: the bundle's worker entry loaded.
      await expect
        .poll(() => /indexed (\d+) scenario files .*\((\d+) read/.exec(output())?.slice(1, 3))
        .toEqual([String(FILES), String(FILES)]);

      // The studio page, as the client build wrote it (npm test builds the client first).
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const indexHtml = join(PROJECT_ROOT, 'dist/client/index.html');
      expect(existsSync(indexHtml), 'the client is built (npm test runs vite build first)').toBe(true);
      expect(await page.text()).toBe(readFileSync(indexHtml, 'utf8'));

      // The API: the first admin joins through the printed link, then reads the list and a scenario.
      const token = adminLink!.split('/join/')[1]!;
      const joined = await fetch(`${url}/api/auth/invites/${token}/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bundle admin', email: 'bundle@example.com', password: 'bundle-password-123' }),
      });
      expect(joined.status).toBe(201);
      const cookie = joined.headers.get('set-cookie')!.split(';')[0]!;
      const list = await fetch(`${url}/api/scenarios?limit=100`, { headers: { cookie } });
      expect(list.status).toBe(200);
      const body = (await list.json()) as { total: number; items: { id: string }[] };
      expect(body.total).toBe(FILES);
      expect(body.items).toHaveLength(100);
      const one = await fetch(`${url}/api/scenarios/${body.items[0]!.id}`, { headers: { cookie } });
      expect(one.status).toBe(200);
      expect(((await one.json()) as { id: string }).id).toBe(body.items[0]!.id);
      // Roles are checked in the bundle as in the sources.
      expect((await fetch(`${url}/api/scenarios?limit=1`)).status).toBe(401);

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    },
    budget(60_000),
  );

  it('computes a calibration report on its bundled calibration thread, as the sources compute it', async () => {
    const items: CalibrationItem[] = Array.from({ length: 12 }, (_, i) => ({
      id: `t${i}`,
      category: 'honesty',
      behavior: i % 2 ? 'sycophancy' : 'consistency',
      judge: { score: (i % 5) + 1, passMet: [], failMet: [] },
      humans: [0, 1, 2].map((k) => ({ score: ((i + k) % 5) + 1, passMet: [], failMet: [] })),
      passCriteria: 0,
      failCriteria: 0,
    }));
    const options = { resamples: 200 };
    const worker = new Worker(join(bundleDir, 'calibration.worker.js'));
    try {
      worker.postMessage({ id: 7, task: JSON.stringify({ kind: 'report', items, options }) });
      const [answer] = (await once(worker, 'message')) as [{ id: number; ok: boolean; result: unknown }];
      expect(answer).toEqual({ id: 7, ok: true, result: computeCalibration(items, options) });
    } finally {
      await worker.terminate();
    }
  });
});
