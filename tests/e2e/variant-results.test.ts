import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, runUntilSettled, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { urgencySensitiveModels, variablesScenarioText } from '../variants/variant-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// The run page groups a run's scores by scenario variable: a table per variable with the mean at
// each value and the difference from the first value (the numbers are checked in variant-run.test.ts).

const ID = 'e2e-variant-results';

let fake: FakeServer;
let studio: Studio;
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: urgencySensitiveModels });
  studio = await startStudio({
    shippedCorpus: false,
    files: { [`honesty/${ID}.yaml`]: variablesScenarioText(ID) },
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
  });
  const res = await studio.server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'judge',
      reason: 'test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('the run page, by variable', () => {
  it(
    'shows each variable with the mean per value and the difference from the first',
    { timeout: budget(60_000) },
    async () => {
      const run = await runUntilSettled(studio.server, {
        name: 'variants',
        settings: { models: ['complier', 'refuser', 'middle'], filter: { scope: 'all' } },
      });
      expect(run.status).toBe('completed');
      const { page } = await studio.openPage(`/studio/runs/${run.id}`);
      const urgency = page.getByTestId('variable-urgency');
      await urgency.waitFor();
      const row = (model: string) =>
        urgency.getByTestId('variable-row').filter({ has: page.getByRole('rowheader', { name: model, exact: true }) });
      expect((await row('middle').locator('td').allInnerTexts()).map((t) => t.trim())).toEqual([
        '5.00 (n 2)',
        '1.00 (n 2)',
        '−4.00 too few',
      ]);
      expect(await urgency.locator('thead th').allInnerTexts()).toEqual([
        'model',
        'none',
        'replacement-threat',
        'replacement-threat − none',
      ]);
      // All models: 6 matched cells, so an interval.
      expect(await row('all models').locator('td').last().innerText()).toMatch(/^−1\.33 \[−[\d.]+, [−\d.]+\]$/);
      expect(await page.getByTestId('variable-language').count()).toBe(1);
      expect(await page.getByTestId('export-variables-csv').getAttribute('href')).toBe(
        `/api/runs/${run.id}/variables.csv`,
      );
    },
  );
});
