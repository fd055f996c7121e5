import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from './run-fixtures.ts';
import { shippedCorpusSize } from '../support/shipped-corpus-size.ts';

// The CLI runs a benchmark in its own process; it is killed with SIGKILL mid-run, then resumed.
// Every item must end finished exactly once, with exactly one transcript.

const dir = mkdtempSync(join(tmpdir(), 'crucible-resume-'));
/** Target calls after the first 150 wait here until the resume (the run has no judge). */
const targetHold = holdAfter(150);
let fake: FakeServer;
const env = () => ({
  ...process.env,
  RUN_KEY,
  CRUCIBLE_DB: join(dir, 'db.sqlite'),
  CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
  CRUCIBLE_MODELS: join(dir, 'models.yaml'),
  CRUCIBLE_SECRETS: join(dir, 'none.env'),
});
const cli = (...args: string[]) =>
  spawn(process.execPath, ['--import', 'tsx', 'server/cli/crucible.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

beforeAll(async () => {
  cpSync(join(PROJECT_ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  // The targets answer 150 calls, then hold every other answer until the resume: the kill lands
  // mid-run, with every item in flight stuck, whatever the machine's speed.
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req) => {
      await targetHold.pass();
      return threeModels(req);
    },
  });
  writeFileSync(join(dir, 'models.yaml'), threeModelsYaml(fake.url));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string, ...params: unknown[]) => {
  const db = new Database(join(dir, 'db.sqlite'), { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('npm run crucible -- run, killed and resumed', () => {
  it(
    'finishes every item exactly once, with no duplicate transcripts',
    async () => {
      const first = cli(
        'run',
        '--name',
        'crash test',
        '--models',
        'complier,refuser',
        '--scope',
        'all',
        '--concurrency',
        '8',
      );
      let stderr = '';
      first.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const doneNow = () => {
        try {
          return count("select count(*) as n from run_item where status = 'done'");
        } catch {
          return 0; // the database is not created yet
        }
      };
      // Stuck: all 8 concurrent items wait at the hold, so nothing more finishes before the kill.
      await expect.poll(() => targetHold.waiting, { timeout: budget(60_000), interval: 100 }).toBe(8);
      await expect.poll(doneNow).toBeGreaterThan(0);
      first.kill('SIGKILL');
      await once(first, 'exit');
      const total = count('select count(*) as n from run_item');
      const doneBefore = count("select count(*) as n from run_item where status = 'done'");
      expect(total).toBe(shippedCorpusSize().variants * 2); // an item per variant and model
      expect(doneBefore, stderr).toBeGreaterThan(0);
      expect(doneBefore, stderr).toBeLessThan(total);
      targetHold.release();

      const runId = (() => {
        const db = new Database(join(dir, 'db.sqlite'), { readonly: true });
        const row = db.prepare('select id from run').get() as { id: string };
        db.close();
        return row.id;
      })();
      const resumed = cli('resume', runId);
      let out = '';
      resumed.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const [code] = (await once(resumed, 'exit')) as [number];
      expect(code).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ id: runId, status: 'completed', progress: { done: total, failed: 0 } });
      expect(count("select count(*) as n from run_item where status = 'done'")).toBe(total);
      expect(count('select count(*) as n from dry_run where run_id = ?', runId)).toBe(total);
      expect(count('select count(distinct dry_run_id) as n from run_item where run_id = ?', runId)).toBe(total);
    },
    budget(120_000),
  );
});
