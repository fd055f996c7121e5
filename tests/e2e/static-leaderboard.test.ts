import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { budget } from '../support/budget.ts';

// The static leaderboard page: downloaded (not opened in the studio), behaviours and categories by
// name, grouped by category, and no wider than the page at a laptop's width and on a phone.

let fake: FakeServer;
let studio: Studio;
let runId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: threeModels });
  studio = await startStudio({ models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  const s = studio.server;
  const judge = await s.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'run judge',
      reason: 'e2e',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(judge.status).toBe(201);
  const created = await s.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Pilot: three models',
      settings: { models: ['complier', 'refuser', 'middle'], filter: { scope: 'all' }, concurrency: 16 },
    }),
  });
  runId = ((await created.json()) as { id: string }).id;
  await (
    await s.services.runs.start(runId)
  ).done; // resolves when the run has finished
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('the static leaderboard page', () => {
  it('downloads, names and groups the behaviours, and fits the page', { timeout: budget(60_000) }, async () => {
    const { page } = await studio.openPage(`/studio/runs/${runId}`);
    await page.getByTestId('lb-row').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
    expect(download.suggestedFilename()).toBe('leaderboard-pilot-three-models.html');
    expect(page.url()).toBe(`${studio.server.url}/studio/runs/${runId}`); // the studio stayed where it was
    const html = readFileSync((await download.path())!, 'utf8');

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.setContent(html);
      // Names, not ids; category rows above their behaviours, in the taxonomy's order.
      const heat = page.locator('table.heat');
      const categories = await heat.locator('tr.cat').allInnerTexts();
      expect(categories.map((c) => c.trim())).toEqual([
        'Honesty',
        'Safety',
        'Robustness',
        'Non-Manipulation',
        'Corrigibility',
        'Scheming',
      ]);
      const rowNames = await heat.locator('th[scope=row]').allInnerTexts();
      expect(rowNames).toHaveLength(37);
      expect(rowNames).toContain('Sycophancy resistance');
      expect(rowNames.some((n) => /^[a-z]+(-[a-z]+)+$/.test(n))).toBe(false);
      // The document is no wider than the window (a wide table scrolls inside its own box).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    }
    // The models' weak spots by name.
    // (Read by the cell's class: the tool-expectations column follows it when scenarios state expectations.)
    const standings = page.locator('table').first().locator('tbody tr');
    const weak = await standings.locator('td.weak-spot').allInnerTexts();
    expect(weak).toHaveLength(await standings.count());
    expect(weak.filter((w) => w !== '–').every((w) => /^[A-Z]/.test(w))).toBe(true);
  });
});
