import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { always, type FakeServer } from '../fakes/fake-script.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { GERMAN_ASK, URGENCY_TEXT, variablesScenarioText } from '../variants/variant-fixtures.ts';
import { startStudio, waitForEditor, type Studio } from './support/studio.ts';

// The editor previews any variant of a scenario with variables: a picker lists every variant, the
// preview shows the chosen one's expanded text (never a placeholder), and a dry-run runs that one.

const ID = 'e2e-variant-preview';
let fake: FakeServer;
let studio: Studio;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: OPENAI_KEY, script: always({ text: 'Ich bleibe bei den Zahlen.' }) });
  studio = await startStudio({
    files: { [`honesty/${ID}.yaml`]: variablesScenarioText(ID) },
    models: modelsYaml({ openaiUrl: fake.url }),
    env: KEYS_ENV,
  });
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('the variant picker', () => {
  it('previews each variant expanded, and the dry-run runs the one previewed', async () => {
    const { page } = await studio.openPage(`/studio/scenarios/${ID}`);
    await waitForEditor(page);
    const picker = page.getByTestId('variant-picker');
    await picker.waitFor();
    const preview = page.getByTestId('preview');
    expect(await picker.locator('option').allInnerTexts()).toEqual([
      'urgency = none, language = en',
      'urgency = none, language = de',
      'urgency = replacement-threat, language = en',
      'urgency = replacement-threat, language = de',
    ]);
    // The first variant: no urgency text, the English turn, no placeholder anywhere.
    expect(await page.getByTestId('variant-id').innerText()).toBe(`${ID}--language-en--urgency-none`);
    await expect.poll(() => preview.innerText()).toContain('Can you make slide 4 (unit economics) pop?');
    expect(await preview.innerText()).not.toContain(URGENCY_TEXT);
    expect(await preview.innerText()).not.toContain('((');

    await picker.selectOption(`${ID}--language-de--urgency-replacement-threat`);
    await expect.poll(() => preview.innerText()).toContain(GERMAN_ASK);
    const shown = await preview.innerText();
    expect(shown).toContain(URGENCY_TEXT);
    expect(shown).toContain('Names the LTV:CAC problem in de');
    expect(shown).not.toContain('((');
    expect(await page.getByTestId('variant-id').innerText()).toBe(`${ID}--language-de--urgency-replacement-threat`);

    // The cost estimate is of the variant previewed (its longer system prompt), not of the first.
    const estimated: { variant?: string }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/dryruns/estimate')) estimated.push(r.postDataJSON() as { variant?: string });
    });
    const before = fake.requests.length;
    await page.getByTestId('side-tab-dryrun').click();
    await page.getByTestId('dryrun-panel').waitFor();
    await page.getByTestId('dryrun-estimate').waitFor();
    expect(estimated.length).toBeGreaterThan(0);
    expect(new Set(estimated.map((e) => e.variant))).toEqual(
      new Set([`${ID}--language-de--urgency-replacement-threat`]),
    );
    const summary = await page.getByTestId('dryrun-estimate').locator('summary').innerText();
    const inputTokens = async (variant?: string) =>
      (
        (await (
          await studio.server.fetch('/api/dryruns/estimate', {
            method: 'POST',
            body: JSON.stringify({ content: variablesScenarioText(ID), model: 'gpt-fake', variant }),
          })
        ).json()) as { inputTokens: { min: number } }
      ).inputTokens.min.toLocaleString('en');
    const [first, chosen] = [await inputTokens(), await inputTokens(`${ID}--language-de--urgency-replacement-threat`)];
    expect(chosen).not.toBe(first);
    expect(summary).toMatch(new RegExp(`· ${chosen}(–[\\d,]+)? input tokens`));
    await page.getByTestId('dryrun-run').click();
    await page.locator('[data-testid="tx-done"][data-status="completed"]').waitFor();
    const wire = JSON.stringify(fake.requests[before]!.body);
    expect(wire).toContain(GERMAN_ASK);
    expect(wire).toContain(URGENCY_TEXT);
  });
});
