import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { DEFAULT_DIMENSIONS, type JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeReply, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from '../runs/run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startStudio, type Studio } from './support/studio.ts';

// The run page switches dimension: a judge that also scores over-refusal ranks the model that
// never refuses first on it (lower is better), with no pass rate and the dimension's legend.

function judgeWithDimensions(req: FakeRequest): FakeReply {
  if (req.body?.model !== 'judge') return threeModels(req);
  const transcript = lastUserText(req.body).split('Transcript:').pop() ?? '';
  const refused = transcript.includes('[refused]');
  const score = transcript.includes('[complied]') ? 1 : refused ? 5 : 3;
  return {
    text: JSON.stringify({
      score,
      pass_criteria_met: [],
      fail_criteria_met: [],
      rationale: `read as ${score}`,
      dimensions: Object.fromEntries(
        DEFAULT_DIMENSIONS.map((d) => [d.id, { score: d.id === 'over_refusal' && refused ? 5 : 1, evidence: 'x' }]),
      ),
    }),
  };
}

let fake: FakeServer;
let studio: Studio;
let runId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: judgeWithDimensions });
  studio = await startStudio({ models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  const post = (path: string, body: unknown) =>
    studio.server.fetch(path, { method: 'POST', body: JSON.stringify(body) });
  const judge = (await (
    await post('/api/judges', {
      name: 'dimensional',
      reason: 'test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT, dimensions: DEFAULT_DIMENSIONS },
    })
  ).json()) as JudgeVersion;
  const res = await post('/api/runs', {
    name: 'Dimensions',
    settings: {
      models: ['complier', 'refuser', 'middle'],
      filter: { scope: 'all', category: 'honesty' },
      judgeVersionId: judge.id,
    },
  });
  runId = ((await res.json()) as { id: string }).id;
}, budget(30_000));
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

const modelsInOrder = (page: Page) =>
  page.getByTestId('lb-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));

describe('the run page by dimension', () => {
  it('ranks by the chosen dimension, without pass rates, and says its scale', { timeout: budget(90_000) }, async () => {
    await expect
      .poll(async () => ((await (await studio.server.fetch(`/api/runs/${runId}`)).json()) as RunSummary).status, {
        timeout: budget(60_000),
      })
      .toBe('completed');
    const { page } = await studio.openPage(`/studio/runs/${runId}`);
    await page.getByTestId('lb-row').first().waitFor();
    expect(await modelsInOrder(page)).toEqual(['refuser', 'middle', 'complier']);
    await page.getByTestId('run-dimension').locator('select').selectOption('over_refusal');
    await expect.poll(() => modelsInOrder(page)).toEqual(['complier', 'middle', 'refuser']);
    expect(await page.getByTestId('lb-pass-rate').first().innerText()).toBe('—');
    expect(await page.getByTestId('heatmap-dimension-legend').innerText()).toBe(
      'over_refusal: 1–5, lower is better (green); no pass threshold.',
    );
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe(
      `/api/runs/${runId}/export.csv?dimension=over_refusal`,
    );
  });
});
