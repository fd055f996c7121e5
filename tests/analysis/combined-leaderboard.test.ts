import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CombinedLeaderboard } from '../../schema/api/leaderboards.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { contentHash } from '../../server/scenarios/scenario.row.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, runUntilSettled } from '../runs/run-fixtures.ts';
import { itemFiles, itemScript, releasedModelsYaml } from './item-fixtures.ts';

// Issue 19 point 3: leaderboards combine runs of the same scenarios, judge version and repeats;
// "add a model" runs only that model and places it on the leaderboard.

let fake: FakeServer;
let server: TestServer;
let judge: JudgeVersion;
let boardId: string;
let firstRunId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: itemScript() });
  server = await startTestServer({ files: itemFiles(), models: releasedModelsYaml(fake.url), env: { RUN_KEY } });
}, budget(30_000));
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const newJudge = async (name: string) =>
  (await (
    await server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name,
        reason: 'test',
        settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    })
  ).json()) as JudgeVersion;
const run = (name: string, settings: Record<string, unknown>) =>
  runUntilSettled(server, { name, settings: { filter: { scope: 'all' }, concurrency: 8, ...settings } });
const board = async () => (await (await server.fetch(`/api/leaderboards/${boardId}`)).json()) as CombinedLeaderboard;
const addRun = (runId: string) =>
  server.fetch(`/api/leaderboards/${boardId}/runs`, { method: 'POST', body: JSON.stringify({ runId }) });
const messageOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe('combined leaderboards (/api/leaderboards)', () => {
  it(
    'starts a leaderboard from a run, its models with family, version and release date',
    { timeout: budget(60_000) },
    async () => {
      judge = await newJudge('board');
      const first = await run('first', { models: ['complier', 'refuser'], repeats: 2, judgeVersionId: judge.id });
      expect(first.status).toBe('completed');
      firstRunId = first.id;
      const res = await server.fetch('/api/leaderboards', {
        method: 'POST',
        body: JSON.stringify({ name: 'Models over time', runId: first.id }),
      });
      expect(res.status).toBe(201);
      boardId = ((await res.json()) as { id: string }).id;
      const b = await board();
      expect(b).toMatchObject({ name: 'Models over time', repeats: 2, scenarios: 5, categories: ['honesty'] });
      expect(b.judge).toEqual({ id: judge.id, name: 'board', version: 1 });
      // refuser: 5,1,5,5,3 -> 19/5; complier 5,1,1,1,3 -> 11/5 (ceiling, floor, split-a, split-b, noisy).
      expect(b.models.map((m) => [m.model, m.family, m.version, m.released])).toEqual([
        ['refuser', 'acme', '2', '2025-06-01'],
        ['complier', 'acme', '1', '2025-01-15'],
      ]);
      expect(b.models[0]!.mean).toBeCloseTo(19 / 5, 10);
      expect(b.models[0]!.categories.honesty).toBeCloseTo(19 / 5, 10);
      expect(b.models[1]!.mean).toBeCloseTo(11 / 5, 10);
    },
  );

  it('refuses runs that are not comparable, with every reason', { timeout: budget(90_000) }, async () => {
    const once = await run('one repeat', { models: ['middle'], repeats: 1, judgeVersionId: judge.id });
    let res = await addRun(once.id);
    expect(res.status).toBe(409);
    expect(await messageOf(res)).toBe(
      'run "one repeat" cannot join this leaderboard: different repeats (the run: 1 per scenario; the leaderboard: 2)',
    );
    const other = await newJudge('other judge');
    const otherJudged = await run('other judge', { models: ['middle'], repeats: 2, judgeVersionId: other.id });
    res = await addRun(otherJudged.id);
    expect(res.status).toBe(409);
    expect(await messageOf(res)).toBe(
      'run "other judge" cannot join this leaderboard: different judge version (the run: other judge v1; the leaderboard: board v1)',
    );
    const again = await run('again', {
      models: ['refuser'],
      repeats: 2,
      judgeVersionId: judge.id,
      scenarioIds: ['ia-floor', 'ia-noisy'],
    });
    res = await addRun(again.id);
    expect(res.status).toBe(409);
    expect(await messageOf(res)).toBe(
      'run "again" cannot join this leaderboard: different scenario content hashes: 3 not run (ia-ceiling, ia-split-a, ia-split-b); already on the leaderboard: refuser (from run "first")',
    );
    res = await addRun(firstRunId);
    expect(await messageOf(res)).toBe(
      'run "first" cannot join this leaderboard: run "first" is on the leaderboard already',
    );
    expect((await board()).runs).toHaveLength(1);
  });

  it(
    'adds a model with one new run of that model alone, on the same scenarios, repeats and judge',
    { timeout: budget(60_000) },
    async () => {
      const runsBefore = await server.db.selectFrom('run').select('id').execute();
      const res = await server.fetch(`/api/leaderboards/${boardId}/models`, {
        method: 'POST',
        body: JSON.stringify({ model: 'middle' }),
      });
      expect(res.status).toBe(201);
      const { runId, items } = (await res.json()) as { runId: string; items: number };
      expect(items).toBe(5 * 2);
      expect((await server.db.selectFrom('run').select('id').execute()).length).toBe(runsBefore.length + 1);
      const models = await server.db
        .selectFrom('run_item')
        .select('model')
        .distinct()
        .where('run_id', '=', runId)
        .execute();
      expect(models).toEqual([{ model: 'middle' }]);
      await expect
        .poll(async () => (await board()).runs.find((r) => r.id === runId)?.status, {
          timeout: budget(60_000),
          interval: 100,
        })
        .toBe('completed');
      const b = await board();
      expect(b.models.map((m) => m.model).sort()).toEqual(['complier', 'middle', 'refuser']);
      // Ranked together, best first.
      expect(b.models.every((m, i) => i === 0 || b.models[i - 1]!.mean >= m.mean)).toBe(true);
      const middle = b.models.find((m) => m.model === 'middle')!;
      expect(middle).toMatchObject({ runId, family: 'other', released: '2025-03-10', scenarios: 5 });
      // What the new run's own leaderboard measured is what the combined one shows.
      const own = (await (await server.fetch(`/api/runs/${runId}/leaderboard`)).json()) as {
        models: { model: string; mean: number }[];
      };
      expect(middle.mean).toBeCloseTo(own.models[0]!.mean, 12);
      // Adding it twice is refused.
      const twice = await server.fetch(`/api/leaderboards/${boardId}/models`, {
        method: 'POST',
        body: JSON.stringify({ model: 'middle' }),
      });
      expect(twice.status).toBe(409);
      expect(await messageOf(twice)).toBe(`middle is on the leaderboard already (from run "Models over time: middle")`);
    },
  );

  it('refuses to add a model once a scenario of the leaderboard has changed, since the runs would differ', async () => {
    const file = itemFiles()['honesty/ia-floor.yaml']!;
    const saved = await server.fetch('/api/scenarios/ia-floor', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content: file.replace('title: Item ia-floor', 'title: Item ia-floor, edited'),
        baseHash: contentHash(file),
      }),
    });
    expect(saved.status).toBe(200);
    const runsBefore = (await server.db.selectFrom('run').select('id').execute()).length;
    const res = await server.fetch(`/api/leaderboards/${boardId}/models`, {
      method: 'POST',
      body: JSON.stringify({ model: 'judge' }),
    });
    expect(res.status).toBe(409);
    expect(await messageOf(res)).toBe(
      "the corpus changed since this leaderboard's runs (1 with other content (ia-floor)): a run now would not be comparable; start a new leaderboard",
    );
    expect((await server.db.selectFrom('run').select('id').execute()).length).toBe(runsBefore);
  });

  it('is closed to raters', async () => {
    const rater = await server.signIn('rater');
    expect((await rater.fetch('/api/leaderboards')).status).toBe(403);
    expect((await rater.fetch(`/api/leaderboards/${boardId}`)).status).toBe(403);
    const add = await rater.fetch(`/api/leaderboards/${boardId}/models`, {
      method: 'POST',
      body: JSON.stringify({ model: 'middle' }),
    });
    expect(add.status).toBe(403);
  });
});
