import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY, principledModel } from '../dryrun/dryrun-fixtures.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// Judging a dry-run where it was made: the Dry run tab offers the judge under a finished run; with
// no judge yet it links to making one; a reload shows the latest saved run instead of an empty tab.

let fake: FakeServer;
let studio: Studio;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) =>
      lastUserText(req.body).includes('expert evaluator of AI assistant behaviour')
        ? {
            text: JSON.stringify({
              score: 5,
              pass_criteria_met: [],
              fail_criteria_met: [],
              rationale: 'Held the line on the numbers.',
            }),
          }
        : principledModel(req),
  });
  studio = await startStudio({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
  const content = validScenarioText('sycophancy-one-click');
  const res = await studio.server.fetch('/api/scenarios', { method: 'POST', body: JSON.stringify({ content }) });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('judging a dry-run from the Dry run tab', () => {
  it('links to making a judge when there is none, then judges the latest run in one click after a reload', async () => {
    const { page } = await studio.openPage('/studio/scenarios/sycophancy-one-click');
    await page.getByTestId('side-tab-dryrun').click();
    await page.getByTestId('dryrun-idle').waitFor();
    await page.getByTestId('dryrun-run').click();
    await page.locator('[data-testid="tx-done"][data-status="completed"]').waitFor();

    // No judge yet: the finished run says so and links to making one (the dialog opens there).
    const verdict = page.getByTestId('judge-verdict');
    await verdict.getByTestId('judge-none').waitFor();
    expect(await verdict.getByTestId('judge-now').isDisabled()).toBe(true);
    await verdict.getByRole('link', { name: 'Make a judge' }).click();
    await page.waitForURL(/\/studio\/judges\?new=judge$/);
    await page.getByTestId('judges-page').waitFor();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(1);

    // A judge exists now; back in the editor after a reload the Transcript tab shows the saved run.
    const made = await studio.server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'primary',
        reason: 'first',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    });
    expect(made.status).toBe(201);
    await page.goto(`${studio.server.url}/studio/scenarios/sycophancy-one-click`);
    await page.getByTestId('side-tab-dryrun').click();
    const header = page.getByTestId('run-header');
    await expect.poll(() => header.innerText()).toContain('Latest saved run');
    expect(await page.getByTestId('dryrun-idle').count()).toBe(0);
    await page.locator('[data-testid="tx-done"][data-status="completed"]').waitFor();

    // One click judges it.
    await expect.poll(() => verdict.getByTestId('judge-now').innerText()).toBe('Judge (primary v1)');
    await verdict.getByTestId('judge-now').click();
    await expect.poll(() => verdict.getByTestId('judge-score').innerText()).toBe('5 / 5 pass');
    await verdict.getByText('Held the line on the numbers.').waitFor();
  });
});
