import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeReply, type FakeRequest, type FakeServer, type Hold } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { idleRefuserScores, shippedCorpusSize } from '../support/shipped-corpus-size.ts';

// A run over the shipped corpus has an item per variant of each scenario (issue 15) and model.
const CORPUS = shippedCorpusSize();
const ITEMS = CORPUS.variants * 3;

// Benchmark runs in the browser: three fake target models that behave as designed (one complies
// with every pressure, one refuses everything, one in between) run over the shipped corpus from
// the studio; the page follows the run live, then ranks them and shows the factor analysis.

/**
 * When set, the judge's verdicts wait at this hold: an item is done only once judged, so a run
 * stops mid-way, at a known count, until the test releases it (whatever the machine's speed).
 */
let judgeHold: Hold | null = null;
let fake: FakeServer;
let studio: Studio;
let judge: JudgeVersion;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: async (req: FakeRequest): Promise<FakeReply> => {
      if (req.body?.model === 'judge') await judgeHold?.pass();
      return threeModels(req);
    },
  });
  studio = await startStudio({ models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  const res = await studio.server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'run judge',
      reason: 'browser test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(res.status).toBe(201);
  judge = (await res.json()) as JudgeVersion;
});
afterEach(() => {
  judgeHold?.release(); // a test that failed mid-way leaves no verdict waiting
  judgeHold = null;
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

const modelsInOrder = (page: Page) =>
  page.getByTestId('lb-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));
const statusOf = (page: Page) => page.getByTestId('run-page').getAttribute('data-status');
const doneShown = (page: Page) => page.getByTestId('fig-done').locator('dd').innerText();

describe('benchmark runs in the studio', () => {
  let runId: string;

  it(
    'starts a run of three models over the shipped corpus, follows it live, and ranks them as designed',
    { timeout: budget(90_000) },
    async () => {
      // Five items get their verdicts; the rest wait until the page has shown that partial count.
      judgeHold = holdAfter(5);
      const { page } = await studio.openPage('/studio');
      const streams: string[] = [];
      page.on('request', (r) => void (r.url().endsWith('/events') && streams.push(r.url())));
      await page.getByTestId('nav-runs').click();
      await page.getByTestId('new-run').click();
      await page.getByTestId('run-name').fill('Three behaviours');
      for (const m of ['complier', 'refuser', 'middle']) await page.getByTestId(`run-model-${m}`).check();
      await page.getByTestId('run-scope-all').check();
      await page.getByTestId('run-concurrency').fill('16');
      await page.getByTestId('run-per-provider').fill('16');
      await expect
        .poll(() => page.getByTestId('run-selection').innerText())
        .toBe(
          `${CORPUS.scenarios} scenarios (${CORPUS.variants} variants) × 3 models × 1 repeat = ${CORPUS.variants * 3} items`,
        );
      expect(await page.getByTestId('run-judge').locator('option:checked').innerText()).toBe('Default: run judge v1');
      await page.getByTestId('start-run').click();
      await page.waitForURL(/\/studio\/runs\/[0-9a-f-]{36}$/);
      runId = new URL(page.url()).pathname.split('/').pop()!;

      // Live progress: the count moves while the run runs, pushed over the run's event stream.
      await page.getByTestId('run-progress').waitFor();
      await expect.poll(() => doneShown(page), { timeout: budget(30_000) }).toBe('5');
      expect(await statusOf(page)).toBe('running');
      expect(judgeHold.waiting).toBeGreaterThan(0);
      judgeHold.release();
      await expect.poll(() => statusOf(page), { timeout: budget(60_000) }).toBe('completed');
      expect(streams.some((u) => u.endsWith(`/api/runs/${runId}/events`))).toBe(true);
      const run = (await (await studio.server.fetch(`/api/runs/${runId}`)).json()) as RunSummary;
      expect(run.settings).toMatchObject({
        models: ['complier', 'refuser', 'middle'],
        concurrency: 16,
        perProviderConcurrency: 16,
        filter: { scope: 'all' },
      });
      expect(run.progress).toMatchObject({ total: ITEMS, done: ITEMS, failed: 0 });

      // The leaderboard, under the judge that scored it.
      await expect.poll(() => modelsInOrder(page)).toEqual(['refuser', 'middle', 'complier']);
      expect(await page.getByTestId('judge-shown').innerText()).toContain('run judge v1');
      expect(await page.getByTestId('judge-shown').innerText()).toContain(judge.id.slice(0, 8));
      const row = (model: string) => page.locator(`[data-testid=lb-row][data-model=${model}]`);
      expect(await row('refuser').getByTestId('lb-pass-rate').innerText()).toBe('100.0%');
      expect(await row('complier').getByTestId('lb-pass-rate').innerText()).toBe('0.0%');
      // 5, less where a tool expectation caps an agent that calls no tool (see idleRefuserScores).
      expect(await row('refuser').getByTestId('lb-mean').innerText()).toMatch(
        new RegExp(`^${idleRefuserScores().mean.toFixed(2).replace('.', '\\.')}`),
      );
      expect(await row('complier').getByTestId('lb-mean').innerText()).toMatch(/^1\.00/);
      expect(await row('complier').getByTestId('verdict-bar').getAttribute('title')).toBe(
        `0 pass, 0 warn, ${CORPUS.variants} fail`,
      );
      const middleMean = Number((await row('middle').getByTestId('lb-mean').innerText()).split(' ')[0]);
      expect(middleMean).toBeGreaterThan(1);
      expect(middleMean).toBeLessThan(5);

      // The heatmap: three models by 37 behaviours, the complier scoring 1 everywhere.
      expect(await page.getByTestId('heatmap-row').count()).toBe(3);
      expect(
        await page.locator('[data-testid=heatmap-row][data-model=complier] [data-testid=heatmap-cell]').count(),
      ).toBe(37);
      const complierScores = await page
        .locator('[data-testid=heatmap-row][data-model=complier] [data-testid=heatmap-cell]')
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-score')));
      expect(new Set(complierScores)).toEqual(new Set(['1']));
      expect(await page.getByTestId('behaviour-row').count()).toBe(37);
      expect(await page.getByTestId('hardest').getByTestId('shortlist-item').count()).toBe(5);

      // The factor analysis renders, with its plain warning: 3 models cannot support 37 behaviours.
      const factors = page.getByTestId('factors');
      await factors.scrollIntoViewIfNeeded();
      expect(await factors.getByTestId('factor-warning').first().innerText()).toMatch(
        /Only 3 models for \d+ behaviours/,
      );
      expect(await factors.getByTestId('scree').isVisible()).toBe(true);
      // Three models span at most two components: no zero bars for components 3 to 8.
      expect(await factors.getByTestId('scree').getAttribute('aria-label')).toMatch(
        /^Variance explained: component 1 [\d.]+%, component 2 [\d.]+%$/,
      );
      expect(await factors.getByTestId('cronbach-alpha').innerText()).toMatch(/\.\d{3}|—/);
      expect(await factors.getByTestId('factor-first').innerText()).toMatch(/\d+\.\d%/);
      expect(await factors.getByTestId('loading-row').count()).toBeGreaterThan(1);

      // The exports are for the results on screen.
      expect(await page.getByTestId('export-csv').getAttribute('href')).toBe(`/api/runs/${runId}/export.csv`);
      const csv = await page.evaluate(async (url) => (await fetch(url)).text(), `/api/runs/${runId}/export.csv`);
      expect(csv).toContain('refuser');
      expect(await page.getByTestId('export-html').getAttribute('href')).toBe(`/api/runs/${runId}/leaderboard.html`);

      // The list shows the finished run.
      await page.getByTestId('nav-runs').click();
      const listed = page.locator(`[data-testid=run-row][data-id="${runId}"]`);
      // The list may show its cached rows first (the run still running) while it refetches.
      await expect.poll(() => listed.getByTestId('run-status').innerText()).toBe('completed');
      expect(await listed.getByTestId('run-counts').innerText()).toBe(`${ITEMS} / ${ITEMS}`);
    },
  );

  it('compares two models with Bonferroni-corrected intervals, and opens a transcript from a heatmap cell', async () => {
    const { page } = await studio.openPage(`/studio/runs/${runId}`);
    await page.getByTestId('leaderboard').waitFor();
    await page.getByTestId('compare-a').selectOption('refuser');
    await page.getByTestId('compare-b').selectOption('complier');
    await expect.poll(() => page.getByTestId('forest-row').count()).toBe(37);
    expect(await page.getByTestId('compare-correction').innerText()).toContain('1 − 0.05/37 = 99.86%');
    const diffs = await page
      .getByTestId('forest-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('[data-testid="forest-value"] strong')?.textContent));
    const refuserDesign = idleRefuserScores().byBehaviour;
    expect(new Set(diffs)).toEqual(new Set(Object.values(refuserDesign).map((s) => `+${(s - 1).toFixed(2)}`)));
    expect(await page.getByTestId('compare-summary').innerText()).toMatch(/favour refuser/);
    expect(await page.getByTestId('compare-correction').innerText()).toContain(
      'the family corrected over is the 37 behaviours compared for refuser vs complier',
    );
    // Behaviours with fewer than 5 paired scenarios get no interval, and say so.
    expect(await page.getByTestId('forest-row').filter({ hasText: 'too few' }).count()).toBeGreaterThan(0);
    // Corrected over every comparison of the run instead: 37 behaviours x 3 model pairs.
    await page.getByTestId('compare-family-all').check();
    await expect
      .poll(() => page.getByTestId('compare-correction').innerText())
      .toContain(
        "1 − 0.05/111 = 99.95%; the family corrected over is all 111 behaviour comparisons of the run's 3 model pairs",
      );

    // A complier cell: its transcripts, each judged 1, and one opened with the judge's rationale.
    await page
      .locator('[data-testid=heatmap-row][data-model=complier] [data-testid=heatmap-cell][data-behaviour=sycophancy]')
      .click();
    await expect.poll(() => page.getByTestId('dive-model').inputValue()).toBe('complier');
    expect(await page.getByTestId('dive-behaviour').inputValue()).toBe('sycophancy');
    // Polled: the list may still show the unfiltered items for a moment after the cell is clicked.
    await expect
      .poll(async () => [
        ...new Set(
          await page.getByTestId('dive-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-score'))),
        ),
      ])
      .toEqual(['1']);
    await page.getByTestId('dive-item').first().click();
    const pane = page.getByTestId('dive-transcript');
    await pane.getByTestId('transcript').waitFor();
    expect(await pane.getByTestId('dive-verdict').innerText()).toContain('read as 1');
    expect(await pane.getByTestId('transcript').innerText()).toContain('[complied]');

    // The outputs grid follows the behaviour: one row per scenario, a cell per model, the answer's start.
    const grid = page.getByTestId('output-grid');
    await grid.locator('summary').click();
    const sycophancyItems = (
      (await (await studio.server.fetch(`/api/runs/${runId}/items?model=complier&behavior=sycophancy`)).json()) as {
        items: unknown[];
      }
    ).items;
    await expect.poll(() => grid.getByTestId('grid-row').count()).toBe(sycophancyItems.length);
    const complierCell = grid.getByTestId('grid-row').first().locator('[data-testid=grid-cell][data-model=complier]');
    expect(await complierCell.getAttribute('data-score')).toBe('1');
    expect(await complierCell.innerText()).toContain('Sure, done exactly as you asked. [complied]');
    expect(
      await grid.getByTestId('grid-row').first().locator('[data-testid=grid-cell][data-model=refuser]').innerText(),
    ).toContain('[refused]');

    // j and k step through the listed transcripts (not while typing in a field).
    const ids = await page
      .getByTestId('dive-item')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-transcript')));
    const openId = () => page.locator('[data-testid=dive-item][aria-current=true]').getAttribute('data-transcript');
    expect(await openId()).toBe(ids[0]);
    await page.keyboard.press('j');
    await expect.poll(openId).toBe(ids[1]);
    await page.keyboard.press('k');
    await expect.poll(openId).toBe(ids[0]);

    // Search inside the transcripts: the complier never refuses.
    await page.getByTestId('dive-search').fill('[refused]');
    await expect.poll(() => page.getByTestId('dive-count').innerText()).toBe('0 items');
    expect(await page.getByTestId('dive-list').innerText()).toContain('No transcript says “[refused]”');
    await page.keyboard.press('j'); // typing in the search box: no step
    expect(await page.getByTestId('dive-search').inputValue()).toBe('[refused]j');
    await page.getByTestId('dive-search').fill('[complied]');
    await expect.poll(() => page.getByTestId('dive-count').innerText()).toBe(`${ids.length} items`);
    await page.getByTestId('dive-search').fill('');

    // The score filter: passes of the complier are none.
    await page.getByTestId('dive-score').selectOption('pass');
    await expect.poll(() => page.getByTestId('dive-count').innerText()).toBe('0 items');
  });

  it(
    're-judges the run with a new judge version; the results say which version produced them',
    { timeout: budget(60_000) },
    async () => {
      const res = await studio.server.fetch('/api/judges', {
        method: 'POST',
        body: JSON.stringify({
          name: 'run judge',
          reason: 'a second version',
          settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
        }),
      });
      const v2 = (await res.json()) as JudgeVersion;
      expect(v2.version).toBe(2);
      const targetCallsBefore = fake.requests.filter((r) => r.body?.model !== 'judge').length;
      const { page } = await studio.openPage(`/studio/runs/${runId}`);
      await page.getByTestId('leaderboard').waitFor();
      await page.getByTestId('judge-version').selectOption(v2.id);
      await page.getByTestId('no-scores').waitFor();
      expect(await page.getByTestId('unjudged').innerText()).toBe(`${ITEMS} transcripts not judged by this version`);
      await page.getByTestId('rejudge').click();
      await expect
        .poll(() => modelsInOrder(page), { timeout: budget(30_000) })
        .toEqual(['refuser', 'middle', 'complier']);
      expect(await page.getByTestId('judge-shown').innerText()).toContain('run judge v2');
      expect(await page.getByTestId('export-json').getAttribute('href')).toBe(
        `/api/runs/${runId}/export.json?judgeVersionId=${v2.id}`,
      );
      expect(fake.requests.filter((r) => r.body?.model !== 'judge').length).toBe(targetCallsBefore);
    },
  );

  it('stops a running run and resumes it to the end', { timeout: budget(60_000) }, async () => {
    // Two items get their verdicts, then the judge holds: the run is stopped at a known count.
    const hold = (judgeHold = holdAfter(2));
    try {
      const res = await studio.server.fetch('/api/runs', {
        method: 'POST',
        body: JSON.stringify({
          name: 'Stop and resume',
          settings: {
            models: ['middle'],
            filter: { scope: 'all', category: 'honesty' },
            concurrency: 2,
            perProviderConcurrency: 2,
            useCache: false,
          },
        }),
      });
      expect(res.status).toBe(201);
      const { id, items } = (await res.json()) as { id: string; items: number };
      expect(items).toBeGreaterThan(2);
      const { page } = await studio.openPage(`/studio/runs/${id}`);
      await expect.poll(() => doneShown(page), { timeout: budget(20_000) }).toBe('2');
      await expect.poll(() => hold.waiting).toBeGreaterThan(0);
      await page.getByTestId('stop-run').click();
      await expect.poll(() => statusOf(page), { timeout: budget(20_000) }).toBe('stopped');
      expect(await doneShown(page)).toBe('2');
      // The held verdicts were for requests the stop abandoned: releasing them answers no one.
      hold.release();
      judgeHold = null;
      await page.getByTestId('resume-run').click();
      await expect.poll(() => statusOf(page), { timeout: budget(30_000) }).toBe('completed');
      // Finished: the counts fold away under the results; opened, every item is done once.
      await page.getByText('Run details: counts, retries, tokens and cost').click();
      await expect.poll(() => page.getByTestId('progress-count').innerText()).toBe(`${items} of ${items} done`);
      expect(await page.getByTestId('run-tokens').innerText()).toContain('middle');
      // The judge's tokens beside the target's, and a total of both (issue 20 point 5).
      const judgeRow = (await page.getByTestId('tokens-judge-judge').innerText()).split(/\s+/);
      const targetRow = (await page.getByTestId('tokens-target-middle').innerText()).split(/\s+/);
      const totalRow = (await page.getByTestId('tokens-total').innerText()).split(/\s+/);
      const inputOf = (row: string[]) => Number(row[2]!.replace(/,/g, ''));
      expect(judgeRow.slice(0, 2)).toEqual(['judge', 'judge']);
      expect(inputOf(judgeRow)).toBeGreaterThan(0);
      expect(Number(totalRow[1]!.replace(/,/g, ''))).toBe(inputOf(judgeRow) + inputOf(targetRow));
    } finally {
      hold.release();
      judgeHold = null;
    }
  });
});
