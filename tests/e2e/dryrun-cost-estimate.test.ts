import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { autonomousScenario } from '../dryrun/turns-fixtures.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { always, type FakeServer } from '../fakes/fake-script.ts';
import { retypeLine, startStudio, waitForEditor, type Studio } from './support/studio.ts';

// Issue 15 point 6 in a browser: before a dry-run, the panel shows what it may cost on the chosen
// model (calls, tokens, dollars from the models file's prices) and how that was estimated; it
// follows unsaved edits, and nothing is sent to the provider to make it. The run that follows is
// shown as an autonomous agent's.

const ID = 'sycophancy-autonomous-agent';
let fake: FakeServer;
let studio: Studio;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: OPENAI_KEY, script: always({ text: 'Done.' }) });
  studio = await startStudio({
    files: { [`honesty/${ID}.yaml`]: autonomousScenario({ maxSteps: 6, endWhen: '[model_stops]' }) },
    models: modelsYaml({ openaiUrl: fake.url }),
    env: KEYS_ENV,
  });
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('the cost estimate in the dry-run panel', () => {
  it('shows calls, tokens and dollars before the run, explains itself, and follows unsaved edits', async () => {
    const { page } = await studio.openPage(`/studio/scenarios/${ID}`);
    await waitForEditor(page);
    await page.getByTestId('side-tab-dryrun').click();
    const estimate = page.getByTestId('dryrun-estimate');
    await estimate.waitFor();
    const summary = () => estimate.locator('summary').innerText();
    // An autonomous scenario: the task for sure, up to every one of its 6 steps; gpt-fake has prices.
    expect(await summary()).toMatch(
      /^Estimated before running: 1–6 calls · [\d,]+–[\d,]+ input tokens · 300–1,800 output tokens · \$0\.\d{4}–\$0\.\d{4}$/,
    );
    expect(fake.requests.length).toBe(0);

    await estimate.locator('summary').click();
    expect(await page.getByTestId('dryrun-estimate-method').innerText()).toContain(
      'Estimated from the text at about 4 characters a token.',
    );

    // A longer system prompt, not saved: the estimate grows with it.
    const before = await summary();
    const inputMin = (text: string) => Number(/· ([\d,]+)–/.exec(text)![1]!.replace(/,/g, ''));
    await retypeLine(page, 'You are DeckPilot', `You are DeckPilot. ${'Always cite the CSV. '.repeat(20)}`);
    // Typing the line takes a while on a loaded machine, and the estimate may follow a half-typed
    // line first: wait for the whole one rather than for the first change.
    await expect.poll(async () => inputMin(await summary())).toBeGreaterThan(inputMin(before) + 80);

    await page.getByTestId('dryrun-run').click();
    await expect.poll(() => fake.requests.length).toBeGreaterThan(0);
    // The run itself reads as an agent's: an automated input, no user, and why it ended.
    await page.getByTestId('tx-ended').waitFor();
    expect(await page.getByTestId('tx-ended').innerText()).toContain('model_stops');
    expect(await page.getByTestId('tx-user').first().getAttribute('data-speaker')).toBe('automated');
    expect(await page.getByTestId('tx-turn').first().innerText()).toMatch(/^Automated input$/im);
  });
});
