import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { itemFiles, itemScript, releasedModelsYaml } from '../analysis/item-fixtures.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, runUntilSettled } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startStudio, type Studio } from './support/studio.ts';

// Issue 19 points 2 and 3 in the browser: a leaderboard made from one run; a model added to it with
// one new run of that model alone; a run with other repeats refused with its reason; the chart by
// release date; and a quick run started from the run dialog, whose page shows estimates.

let fake: FakeServer;
let studio: Studio;
let boardId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: itemScript() });
  studio = await startStudio({
    shippedCorpus: false,
    files: itemFiles(),
    models: releasedModelsYaml(fake.url),
    env: { RUN_KEY },
  });
  const judge = await studio.server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'board',
      reason: 'browser test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(judge.status).toBe(201);
}, budget(60_000));
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

const runsCount = async () => (await studio.server.db.selectFrom('run').select('id').execute()).length;

describe('leaderboards over time', () => {
  it(
    'adds a model with one new run, and refuses a run with other repeats, saying why',
    { timeout: budget(180_000) },
    async () => {
      const settings = { filter: { scope: 'all' }, concurrency: 8 };
      const first = await runUntilSettled(studio.server, {
        name: 'first',
        settings: { ...settings, models: ['complier', 'refuser'], repeats: 2 },
      });
      expect(first.status).toBe('completed');
      const once = await runUntilSettled(studio.server, {
        name: 'one repeat',
        settings: { ...settings, models: ['middle'], repeats: 1 },
      });
      expect(once.status).toBe('completed');
      const created = await studio.server.fetch('/api/leaderboards', {
        method: 'POST',
        body: JSON.stringify({ name: 'Acme over time', runId: first.id }),
      });
      expect(created.status).toBe(201);
      boardId = ((await created.json()) as { id: string }).id;

      const { page } = await studio.openPage('/studio');
      await page.getByTestId('nav-leaderboards').click();
      await page.getByRole('link', { name: 'Acme over time' }).click();
      await expect.poll(() => page.url()).toContain(`/studio/leaderboards/${boardId}`);
      const rows = page.getByTestId('board-row');
      await expect
        .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model'))))
        .toEqual(['refuser', 'complier']);
      expect(await page.getByTestId('board-terms').textContent()).toContain(
        '5 scenarios · 2 repeats · judge board v1 · 1 run',
      );
      const points = page.locator('[data-testid="chart-overall"] [data-testid="time-point"]');
      expect(await points.count()).toBe(2);

      // A run made with one repeat is refused, and the page says why.
      await page.getByTestId('add-run-select').selectOption({ label: 'one repeat (middle)' });
      await page.getByTestId('add-run-submit').click();
      await expect
        .poll(() => page.getByTestId('add-run-error').textContent())
        .toContain(
          'run "one repeat" cannot join this leaderboard: different repeats (the run: 1 per scenario; the leaderboard: 2)',
        );
      expect(await page.getByTestId('board-run').count()).toBe(1);

      // Add a model: one new run, of that model alone, lands on the leaderboard.
      const before = await runsCount();
      await page.getByTestId('add-model-select').selectOption('middle');
      await page.getByTestId('add-model-submit').click();
      await expect
        .poll(() => page.getByTestId('add-model-started').textContent())
        .toContain('Started run of middle (10 items)');
      expect(await runsCount()).toBe(before + 1);
      await expect
        .poll(() => page.locator('[data-testid="board-run"][data-status="completed"]').count(), {
          timeout: budget(60_000),
        })
        .toBe(2);
      await expect.poll(() => rows.count()).toBe(3);
      const newRun = await studio.server.db
        .selectFrom('run')
        .select('id')
        .where('name', '=', 'Acme over time: middle')
        .executeTakeFirstOrThrow();
      const models = await studio.server.db
        .selectFrom('run_item')
        .select('model')
        .distinct()
        .where('run_id', '=', newRun.id)
        .execute();
      expect(models).toEqual([{ model: 'middle' }]);
      const middle = page.locator('[data-testid="board-row"][data-model="middle"] td');
      expect((await middle.allTextContents()).slice(1, 5)).toEqual(['middle', 'other', '–', '2025-03-10']);
      // The chart by release date now has the three models, the acme family drawn as a line.
      await expect.poll(() => points.count()).toBe(3);
      expect(await page.locator('[data-testid="chart-overall"] [data-family="acme"] polyline').count()).toBe(1);
      expect(await page.locator('[data-testid="chart-category-honesty"] [data-testid="time-point"]').count()).toBe(3);
    },
  );

  it(
    'starts a quick run from the run dialog, and its page shows estimates marked as such',
    { timeout: budget(120_000) },
    async () => {
      const { page } = await studio.openPage('/studio/runs');
      await page.getByRole('button', { name: 'New run' }).click();
      await page.getByTestId('run-name').fill('quick look');
      await page.getByTestId('run-model-complier').check();
      await page.getByTestId('run-model-refuser').check();
      await page.getByTestId('run-quick-toggle').check();
      await page.getByTestId('run-quick-k').fill('2');
      await expect
        .poll(() => page.getByTestId('run-selection').textContent())
        .toContain('About 2 anchor scenarios × 2 models');
      await page.getByTestId('start-run').click();
      await expect.poll(() => page.url()).toMatch(/\/studio\/runs\/[0-9a-f-]{36}$/);
      const runId = page.url().split('/').pop()!;
      await expect
        .poll(async () => ((await (await studio.server.fetch(`/api/runs/${runId}`)).json()) as RunSummary).status, {
          timeout: budget(60_000),
          interval: 100,
        })
        .toBe('completed');
      const run = (await (await studio.server.fetch(`/api/runs/${runId}`)).json()) as RunSummary;
      expect(run.settings.quick!.anchors).toHaveLength(2);
      const panel = page.getByTestId('quick-estimates');
      await expect.poll(() => panel.getByTestId('quick-estimate-row').count(), { timeout: budget(30_000) }).toBe(2);
      expect(await panel.locator('h2').textContent()).toBe('Estimated full-benchmark scores estimate');
      expect(await panel.textContent()).toContain('2 anchor scenarios of the 5 that 3 models ran');
      expect(await panel.getByTestId('quick-estimate-overall').first().textContent()).toMatch(
        /^≈ \d\.\d\d \[\d\.\d\d, \d\.\d\d\]$/,
      );
    },
  );
});
