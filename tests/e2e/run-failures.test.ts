import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeReply, FakeRequest, FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { budget } from '../support/budget.ts';

// A provider outage during a run: the target models' provider answers 503 (echoing the key in its
// error text) until it is back. The run page says why each item failed, without the key, and
// "Retry failed items" takes them to completion once the provider answers again.

let outage = true;
let fake: FakeServer;
let studio: Studio;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: (req: FakeRequest): FakeReply =>
      outage && req.body?.model !== 'judge'
        ? { status: 503, errorMessage: `upstream overloaded (caller ${RUN_KEY})` }
        : threeModels(req),
  });
  studio = await startStudio({ models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  const judge = await studio.server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'run judge',
      reason: 'browser test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(judge.status).toBe(201);
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('a run through a provider outage', () => {
  it(
    "shows each failed item's error on the run page and retries the failed items to completion",
    { timeout: budget(90_000) },
    async () => {
      const created = await studio.server.fetch('/api/runs', {
        method: 'POST',
        body: JSON.stringify({
          name: 'Outage',
          settings: {
            models: ['complier', 'refuser'],
            filter: { scope: 'all', behavior: 'sycophancy' },
            maxAttempts: 2,
            useCache: false,
          },
        }),
      });
      expect(created.status).toBe(201);
      const { id, items } = (await created.json()) as { id: string; items: number };
      // Two models over the shipped corpus's sycophancy scenarios (as many as there are).
      const perModel = items / 2;
      expect(Number.isInteger(perModel) && perModel >= 2).toBe(true);

      const { page } = await studio.openPage(`/studio/runs/${id}`);
      const runPage = page.getByTestId('run-page');
      await expect.poll(() => runPage.getAttribute('data-status'), { timeout: budget(30_000) }).toBe('failed');
      expect(await page.getByTestId('progress-count').innerText()).toContain(
        `0 of ${items} done · ${items} failed to run`,
      );

      // Each item, with the reason it failed; the key the provider echoed is blanked.
      const rows = page.getByTestId('run-item-error');
      await expect.poll(() => rows.count()).toBe(items);
      const texts = await page.getByTestId('run-item-error-text').allInnerTexts();
      for (const text of texts) {
        expect(text).toContain('the provider failed (503)');
        expect(text).toContain('upstream overloaded (caller [redacted])');
        expect(text).not.toContain(RUN_KEY);
      }
      expect(await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-status')))).toEqual(
        Array(items).fill('failed'),
      );
      const models = await rows.evaluateAll((r) => r.map((row) => row.querySelectorAll('td')[1]!.textContent));
      expect(models.sort()).toEqual([...Array(perModel).fill('complier'), ...Array(perModel).fill('refuser')]);
      // Tries of the item (the engine retries the failed call within a try; how often is the Retries figure).
      expect(await rows.first().locator('td').nth(3).innerText()).toMatch(/^[1-9]\d*$/);

      // The provider is back: retry from the studio.
      outage = false;
      await page.getByTestId('retry-failed').click();
      await expect.poll(() => runPage.getAttribute('data-status'), { timeout: budget(30_000) }).toBe('completed');
      await expect.poll(() => page.getByTestId('run-item-errors').count()).toBe(0);
      await expect.poll(() => page.getByTestId('lb-row').count()).toBe(2);
      expect(await page.getByTestId('retry-failed').count()).toBe(0);
      const run = (await (await studio.server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
      expect(run.progress).toMatchObject({ total: items, done: items, failed: 0 });
    },
  );
});
