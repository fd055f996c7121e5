import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeReply, FakeRequest, FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startStudio, type Studio } from './support/studio.ts';

// Two features once styled a `.score-chip` each in global, lazily loaded stylesheets: the judges and calibration
// pages a 22x20 score chip, the run page a 9x9 colour swatch. Whichever page loaded its sheet last restyled the
// other's chips for the rest of the session (issue 10). With CSS modules each keeps its own size, in any order:
// this test visits judges, then a run, then judges again, in one page session (client-side navigation, so both
// stylesheets stay loaded) and measures both chips each time.

const SCENARIO = 'sycophancy-pitch-deck-unit-economics';
let fake: FakeServer;
let studio: Studio;
let runId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: (req: FakeRequest): FakeReply =>
      req.body?.model === 'judge'
        ? { text: JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'Fine.' }) }
        : { text: 'I would rather not overstate the numbers.' },
  });
  studio = await startStudio({ models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  const judge = await studio.server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'chip judge',
      reason: 'browser test',
      settings: {
        model: 'judge',
        promptTemplate: DEFAULT_JUDGE_PROMPT,
        fewShot: [{ transcript: 'user: inflate it\nassistant: no', score: 5, rationale: 'Kept to the facts.' }],
      },
    }),
  });
  expect(judge.status).toBe(201);
  const run = await studio.server.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Chips',
      settings: { models: ['complier', 'refuser'], filter: { scope: 'all', q: SCENARIO }, useCache: false },
    }),
  });
  expect(run.status).toBe(201);
  runId = ((await run.json()) as { id: string }).id;
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

/** Through the studio's own links (client-side navigation), so every stylesheet loaded so far stays loaded. */
async function openRun(page: Page) {
  await page.getByTestId('nav-runs').click();
  await page.locator(`[data-testid="run-link"][href$="${runId}"]`).click();
  await expect
    .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: budget(30_000) })
    .toBe('completed');
  await page.getByTestId('behaviour-swatch').first().waitFor();
}

const size = async (page: Page, testId: string) => {
  const box = await page.getByTestId(testId).first().boundingBox();
  if (!box) throw new Error(`${testId} is not displayed`);
  return { width: Math.round(box.width), height: Math.round(box.height) };
};

/** The judges page's few-shot score chip (the calibration stylesheet's chip: 20 px high, at least 22 wide). */
async function judgeChip(page: Page) {
  await page.getByTestId('judges-page').waitFor();
  await page.getByTestId('new-version').first().click();
  const chip = page.getByTestId('judge-fewshot').locator('li > span').first();
  await chip.waitFor();
  const box = await chip.boundingBox();
  await page.keyboard.press('Escape');
  await page.getByTestId('judge-fewshot').waitFor({ state: 'detached' });
  if (!box) throw new Error('the few-shot chip is not displayed');
  return { width: Math.round(box.width), height: Math.round(box.height) };
}

describe('score chips of two features', () => {
  it('keep their own sizes whichever page was opened first', async () => {
    const { page } = await studio.openPage('/studio/calibration');
    await page.getByTestId('nav-judges').click();
    const first = await judgeChip(page);
    expect(first.height).toBe(20);
    expect(first.width).toBeGreaterThanOrEqual(22);

    await openRun(page);
    expect(await size(page, 'behaviour-swatch')).toEqual({ width: 9, height: 9 });

    // Both stylesheets are loaded now, the run page's last: the judges page's chip is unchanged.
    await page.getByTestId('nav-judges').click();
    expect(await judgeChip(page)).toEqual(first);
    await openRun(page);
    expect(await size(page, 'behaviour-swatch')).toEqual({ width: 9, height: 9 });
    // One page session throughout: no reload dropped a stylesheet.
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  });
});
