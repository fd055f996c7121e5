import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedKinds, fakeGenerator, SHIPPED_SCENARIO } from '../fakes/fake-generator.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeServer } from '../fakes/fake-script.ts';
import { waitForJob } from '../jobs/job-fixtures.ts';
import { budget } from '../support/budget.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';

// `npm run crucible -- generate` is killed (SIGKILL) mid-job; a server started on the same
// database takes the job over once its lease expires and finishes it: every candidate ends once.

const KEY = 'sk-generation-restart-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'crucible-generation-restart-'));
const generator = fakeGenerator({ corpusFile: SHIPPED_SCENARIO });
/** Model calls after the first 60 wait here until the restart: the kill lands mid-job on any machine. */
const hold = holdAfter(60);
let fake: FakeServer;
let server: TestServer | undefined;

beforeAll(async () => {
  mkdirSync(join(dir, 'data'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  fake = await startFakeOpenAI({
    apiKey: KEY,
    script: async (req) => {
      await hold.pass();
      return generator.script(req);
    },
  });
  writeFileSync(
    join(dir, 'models.yaml'),
    `providers:
  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: GEN_KEY}
models:
  - {id: writer, provider: fake, model: writer, max_retries: 0}
  - {id: target, provider: fake, model: target, max_retries: 0}
`,
  );
});
afterAll(async () => {
  hold.release();
  await server?.close(); // removes the folder
  await fake?.close();
});

const candidateCounts = () => {
  const db = new Database(join(dir, 'data/crucible.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT status, count(*) AS n FROM generation_candidate GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
  } finally {
    db.close();
  }
};

describe('a generation job killed mid-way', () => {
  it(
    'is resumed by the next server and ends with every candidate decided once',
    async () => {
      const cli = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'server/cli/crucible.ts',
          'generate',
          '--behavior',
          'sycophancy,harmful-content,shutdown-acceptance',
          '--count',
          '50',
          '--model',
          'writer',
          '--dry-run-model',
          'target',
          '--concurrency',
          '8',
        ],
        {
          cwd: PROJECT_ROOT,
          env: {
            ...process.env,
            GEN_KEY: KEY,
            CRUCIBLE_DB: join(dir, 'data/crucible.sqlite'),
            CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
            CRUCIBLE_MODELS: join(dir, 'models.yaml'),
            CRUCIBLE_SECRETS: join(dir, 'secrets.env'),
            CRUCIBLE_JOB_LEASE_MS: '1000',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<void>((resolve) => cli.once('exit', () => resolve()));
      // Held: every one of the 8 candidates in flight waits on a call (the realism screen and the dry-run run side by side).
      await expect.poll(() => hold.waiting, { timeout: budget(60_000), interval: 50 }).toBeGreaterThanOrEqual(8);
      const finishedBefore = candidateCounts()
        .filter((r) => r.status !== 'pending')
        .reduce((s, r) => s + r.n, 0);
      expect(finishedBefore).toBeGreaterThan(0);
      expect(finishedBefore).toBeLessThan(50);
      expect(stderr).toMatch(/generate-scenarios|of 50/);
      cli.kill('SIGKILL');
      await exited;
      hold.release();

      server = await startTestServer({ dir, env: { GEN_KEY: KEY, CRUCIBLE_JOB_LEASE_MS: '1000' } });
      const job = (await (await server.fetch('/api/generation/jobs')).json()).jobs[0].job;
      const ended = await waitForJob(server, job.id, 120_000);
      expect(ended.status, ended.error ?? '').toBe('done');
      expect(ended.attempts).toBe(2);
      const counts = Object.fromEntries(candidateCounts().map((r) => [r.status, r.n]));
      expect(counts.pending).toBeUndefined();
      // Proposals cut off by the kill were asked again (the generator's cycle moved on by them).
      expect(generator.proposals).toBeGreaterThan(50);
      expect(counts.dropped).toBeGreaterThanOrEqual(expectedKinds(50).dropped);
      expect(counts.dropped).toBeLessThanOrEqual(expectedKinds(generator.proposals).dropped);
      expect((counts.review ?? 0) + (counts['screened-out'] ?? 0) + (counts.dropped ?? 0)).toBe(50);
    },
    budget(240_000),
  );
});
