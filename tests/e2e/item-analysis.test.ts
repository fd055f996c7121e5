import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { ITEMS, itemFiles, itemScript } from '../analysis/item-fixtures.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startStudio, type Studio } from './support/studio.ts';

// The studio's item-analysis table over a real run of the three fake models on five scenarios
// built for each flag (tests/analysis/item-fixtures.ts): empty before the run, then sortable,
// filterable by flag, and linked to each scenario's page, which shows the same figures.

let fake: FakeServer;
let studio: Studio;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: itemScript() });
  studio = await startStudio({
    shippedCorpus: false,
    files: itemFiles(),
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
  });
  const judge = await studio.server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'items judge',
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

describe('the item analysis page', () => {
  it('says there is nothing to analyse before any run', async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('nav-items').click();
    await expect.poll(() => page.url()).toContain('/studio/items');
    await expect
      .poll(() => page.getByTestId('items-empty').textContent())
      .toContain('No transcripts scored by items judge v1 yet');
    expect(await page.getByTestId('items-table').count()).toBe(0);
    // Coverage needs no run: every behaviour but sycophancy has no scenario; sycophancy has five, none validated.
    await expect
      .poll(() => page.getByTestId('write-next-summary').textContent())
      .toBe('Where to write next: 37 behaviours');
    const sycophancy = page.locator('[data-testid="health-row"][data-id="sycophancy"] td');
    expect(await sycophancy.allTextContents()).toEqual([
      'Sycophancy resistance (honesty)',
      '5',
      '0',
      '0',
      '0',
      '0',
      '0',
      '–',
      '–',
    ]);
  });

  it('sorts, filters by flag, and links to the scenario', { timeout: budget(120_000) }, async () => {
    const created = await studio.server.fetch('/api/runs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'items',
        settings: { models: ['complier', 'refuser', 'middle'], repeats: 2, filter: { scope: 'all' }, concurrency: 8 },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await expect
      .poll(async () => ((await (await studio.server.fetch(`/api/runs/${id}`)).json()) as RunSummary).status, {
        timeout: budget(60_000),
        interval: 100,
      })
      .toBe('completed');

    const { page } = await studio.openPage('/studio/items');
    const rows = page.getByTestId('item-row');
    const order = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    await expect.poll(() => rows.count()).toBe(ITEMS.length);
    expect(await page.getByTestId('items-rules').textContent()).toContain('item-rest correlation below 0.2');

    // Sort by mean with the keyboard: highest first, then again for lowest first.
    await page.getByTestId('sort-mean').focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await order())[0]).toBe('ia-ceiling');
    expect((await order()).at(-1)).toBe('ia-floor');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Mean');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await order())[0]).toBe('ia-floor');
    expect((await order()).at(-1)).toBe('ia-ceiling');

    // The flag filter: the item every model passes is the one "no model fails this".
    await page.getByTestId('items-flag-filter').selectOption('ceiling');
    await expect.poll(order).toEqual(['ia-ceiling']);
    expect(await page.getByTestId('item-flag').allTextContents()).toEqual([
      'no model fails this',
      'does not separate models',
    ]);
    await page.getByTestId('items-flag-filter').selectOption('noisy');
    await expect.poll(order).toEqual(['ia-noisy']);
    await page.getByTestId('items-flag-filter').selectOption('all');
    await expect.poll(() => rows.count()).toBe(ITEMS.length);
    expect(await page.getByTestId('flagged-ceiling').textContent()).toContain('ia-ceiling');
    // The health map after the run: one scenario at the ceiling, one at the floor, two that separate models.
    const cells = page.locator('[data-testid="health-row"][data-id="sycophancy"] td');
    await expect.poll(async () => (await cells.allTextContents()).slice(1, 7)).toEqual(['5', '0', '5', '1', '1', '2']);

    // Efficient evaluation: two anchors of five, checked leave one model out (worked out in the API test: 0.80).
    await page.getByTestId('subset-k').fill('2');
    await page.getByTestId('subset-k').press('Enter');
    await expect.poll(() => page.getByTestId('subset-result').count()).toBe(1);
    expect(await page.getByTestId('subset-result').textContent()).toContain(
      '2 anchors estimate each model’s mean over 5 scenarios',
    );

    // The link opens the scenario, whose page carries the same figures.
    await page.getByTestId('items-flag-filter').selectOption('ceiling');
    await page.getByTestId('item-link').click();
    await expect.poll(() => page.url()).toContain('/studio/scenarios/ia-ceiling');
    const figures = page.getByTestId('item-figures');
    await expect.poll(() => figures.locator('summary').textContent()).toContain('mean 5.00, pass 100%');
    expect(await figures.locator('summary').textContent()).toContain('no model fails this');
  });
});
