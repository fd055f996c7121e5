import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY, principledModel } from '../dryrun/dryrun-fixtures.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeServer } from '../fakes/fake-script.ts';
import { collectTranscript } from '../support/sse.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// The dry-run panel shows the judge's verdict on a stored transcript, on demand.
let fake: FakeServer;
let studio: Studio;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) =>
      lastUserText(req.body).includes('expert evaluator of AI assistant behaviour')
        ? {
            text: JSON.stringify({
              score: 4,
              pass_criteria_met: [{ index: 0, evidence: 'about 0.4:1' }],
              fail_criteria_met: [],
              rationale: 'Kept the economics visible, <b>firmly</b>.',
            }),
          }
        : principledModel(req),
  });
  studio = await startStudio({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('the judge in the dry-run panel', () => {
  it('judges a stored transcript on demand and shows score, criteria, rationale and judge version', async () => {
    const s = studio.server;
    await s.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'primary',
        reason: 'first',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    });
    const content = validScenarioText('sycophancy-judge-e2e');
    expect((await s.fetch('/api/scenarios', { method: 'POST', body: JSON.stringify({ content }) })).status).toBe(201);
    const events = await collectTranscript(
      await s.fetch('/api/dryruns', { method: 'POST', body: JSON.stringify({ content, model: 'gpt-fake' }) }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' } satisfies Partial<TranscriptEvent>);

    const { page } = await studio.openPage('/studio/scenarios/sycophancy-judge-e2e');
    await page.getByTestId('side-tab-dryrun').click();
    await page.getByTestId('dryrun-tab-history').click();
    await page.getByTestId('dryrun-open').first().click();
    const verdict = page.getByTestId('judge-verdict');
    await verdict.getByText('Not judged yet.').waitFor();
    await page.getByTestId('judge-now').click();
    await expect.poll(() => verdict.getByTestId('judge-score').innerText()).toBe('4 / 5 pass');
    // Model text is shown as text: the tags are visible characters, not markup.
    await verdict.getByText('Kept the economics visible, <b>firmly</b>.').waitFor();
    await verdict.getByText('Pass criterion 1: “about 0.4:1”').waitFor();
    expect(await verdict.locator('b').count()).toBe(0);
  });
});
