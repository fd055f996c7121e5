import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { budget } from '../support/budget.ts';

// The list stays light with thousands of scenarios: the API returns every match, the page
// renders only the rows in view.

const N = 3000;
const idOf = (i: number) => `e2e-scale-${String(i).padStart(5, '0')}`;

let studio: Studio;
beforeAll(async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < N; i++) files[`honesty/${idOf(i)}.yaml`] = validScenarioText(idOf(i));
  studio = await startStudio({ shippedCorpus: false, files });
}, budget(120_000));
afterAll(() => studio?.close());

describe('the scenario list at scale', () => {
  it(`renders only the visible rows of ${N.toLocaleString('en')} scenarios, and reaches the last by keyboard`, async () => {
    const { page } = await studio.openPage('/studio');
    await expect
      .poll(() => page.getByTestId('result-count').innerText(), { timeout: budget(15_000) })
      .toBe(`${N.toLocaleString('en')} scenarios`);
    const rows = page.getByTestId('scenario-row');
    expect(await rows.count()).toBeLessThan(60);
    await page.getByTestId('scenario-list').focus();
    await page.keyboard.press('End');
    await page.locator(`[data-testid="scenario-row"][data-id="${idOf(N - 1)}"]`).waitFor();
    expect(await rows.count()).toBeLessThan(60);

    await page.getByTestId('search-input').fill(idOf(1234));
    await expect.poll(() => page.getByTestId('result-count').innerText()).toBe('1 scenario');
    expect(await rows.count()).toBe(1);
  });
});
