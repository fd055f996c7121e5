import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedKinds, fakeGenerator, SHIPPED_SCENARIO } from '../fakes/fake-generator.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startStudio, waitForEditor, type Studio } from './support/studio.ts';

// Generation in the browser: choose three behaviours in the coverage table, start a job of 50
// candidates against the scripted generator, follow it to the end, then work the review queue by
// keyboard: accept one (a draft with its provenance, in the scenario browser and the editor),
// reject one with a reason, accept-and-edit one (opens the editor).

const KEY = 'sk-generation-e2e-0123456789';
let fake: FakeServer;
let studio: Studio;

beforeAll(async () => {
  const generator = fakeGenerator({ corpusFile: SHIPPED_SCENARIO });
  fake = await startFakeOpenAI({ apiKey: KEY, script: generator.script });
  studio = await startStudio({
    env: { GEN_KEY: KEY },
    models: `providers:
  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: GEN_KEY}
models:
  - {id: writer, provider: fake, model: writer, max_retries: 0}
  - {id: target, provider: fake, model: target, max_retries: 0}
`,
  });
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('generation in the studio', () => {
  it(
    'runs a 50-candidate job over 3 behaviours from the coverage view, and the review queue accepts and rejects by keyboard',
    async () => {
      const { page } = await studio.openPage('/studio/generation');
      await page.getByTestId('coverage-row').first().waitFor();
      for (const id of ['sycophancy', 'harmful-content', 'shutdown-acceptance'])
        await page.locator(`[data-testid="coverage-row"][data-id="${id}"] input[type="checkbox"]`).check();
      await expect.poll(() => page.getByTestId('chosen-behaviours').innerText()).toContain('shutdown-acceptance');
      await page.getByTestId('generation-count').fill('50');
      await page.getByTestId('generation-model').selectOption('writer');
      await page.getByTestId('generation-dryrun-model').selectOption('target');
      // The screens start from the schema's defaults; the ones set here are stored with the job.
      await page.getByTestId('generation-screens').locator('summary').click();
      expect(await page.getByTestId('generation-duplicate-threshold').inputValue()).toBe('0.5');
      await page.getByTestId('generation-concurrency').fill('');
      expect(await page.getByTestId('start-generation').isDisabled()).toBe(true);
      await page.getByTestId('generation-concurrency').fill('4');
      await page.getByTestId('generation-duplicate-threshold').fill('0.55');
      await page.getByTestId('generation-screen-model').selectOption('writer');
      await page.getByTestId('start-generation').click();
      const job = page.getByTestId('generation-job').first();
      await expect
        .poll(() => job.getAttribute('data-status'), { timeout: budget(120_000), interval: 200 })
        .toBe('done');
      const stored = (await (await studio.server.fetch('/api/generation/jobs')).json()) as {
        jobs: { settings: Record<string, unknown> }[];
      };
      expect(stored.jobs[0]!.settings).toMatchObject({
        duplicateThreshold: 0.55,
        concurrency: 4,
        screenModel: 'writer',
        realismThreshold: 3,
      });
      const kinds = expectedKinds(50);
      const cells = await job.locator('td').allInnerTexts();
      // In review, accepted, screened out, dropped
      expect(Number(cells[6])).toBe(kinds.dropped);
      expect(Number(cells[5])).toBe(kinds.refuses + kinds['batch-duplicate'] + kinds['corpus-duplicate']);
      expect(Number(cells[3])).toBe(50 - kinds.dropped - Number(cells[5]));

      await page.getByTestId('open-review-queue').click();
      await page.getByTestId('review-item').first().waitFor();
      await expect.poll(() => page.getByTestId('review-item').count()).toBe(Number(cells[3]));
      await page.getByTestId('review-title').waitFor();
      await expect.poll(() => page.getByTestId('screen-checks').innerText()).toContain('✓ Checks');
      await expect.poll(() => page.getByTestId('screen-bite').innerText()).toContain('real-conflict');

      // j moves on; a accepts the selected one.
      await page.keyboard.press('j');
      const acceptedId = (await page
        .locator('[data-testid="review-item"][aria-selected="true"]')
        .getAttribute('data-id'))!;
      await page.keyboard.press('a');
      await expect.poll(() => page.getByTestId('review-notice').innerText()).toBe(`Accepted as ${acceptedId} (draft)`);
      await expect.poll(() => page.getByTestId('review-item').count()).toBe(Number(cells[3]) - 1);

      // r asks for a reason; Enter rejects.
      const rejectedId = (await page
        .locator('[data-testid="review-item"][aria-selected="true"]')
        .getAttribute('data-id'))!;
      await page.keyboard.press('r');
      await page.getByTestId('reject-reason').fill('The operator prompt reads like a test, not a company.');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('review-notice').innerText()).toBe(`Rejected ${rejectedId}`);
      // The list drops it before the next key (the notice can come first: a CI run at load 4 read the
      // rejected one as still selected, and e then acted on another).
      await expect.poll(() => page.getByTestId('review-item').count()).toBe(Number(cells[3]) - 2);
      const selected = page.locator('[data-testid="review-item"][aria-selected="true"]');
      await expect.poll(() => selected.getAttribute('data-id')).not.toBe(rejectedId);

      // e accepts and opens the editor.
      const editedId = (await selected.getAttribute('data-id'))!;
      await page.keyboard.press('e');
      await page.waitForURL(`**/studio/scenarios/${editedId}`);
      const editor = await waitForEditor(page);
      await expect.poll(() => editor.innerText()).toMatch(/kind:\s+generated/); // Monaco renders spaces as no-break spaces

      // The accepted ones are drafts in the scenario browser, and valid (no problem badge).
      await page.goto(`${studio.server.url}/studio?q=${acceptedId}`);
      const row = page.locator(`[data-testid="scenario-row"][data-id="${acceptedId}"]`);
      await row.waitFor();
      await expect.poll(() => row.innerText()).toMatch(/draft/i);
      expect(await row.locator('.badge-error').count()).toBe(0);
      const file = await (await studio.server.fetch(`/api/scenarios/${acceptedId}`)).json();
      expect(file.content).toMatch(/source:\n {2}kind: generated\n {2}job: [0-9a-f-]{36}\n {2}model: writer/);
      expect(file.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    },
    budget(240_000),
  );
});
