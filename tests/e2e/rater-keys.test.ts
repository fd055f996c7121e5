import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealismStudy } from '../studies/study-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// One key map on the rater screens (client/src/rate/keyMap.ts), and on a touch screen no key hint
// left half-shown. The annotation screens' keys (C reason, H confidence, M partly) are driven in
// calibration.test.ts.

let studio: Studio;
let inviteUrl: string;
beforeAll(async () => {
  studio = await startStudio();
  const studyId = await createRealismStudy(studio.server, { name: 'Keys', filter: { behavior: 'sycophancy' } });
  const res = await studio.server.fetch('/api/admin/invites', {
    method: 'POST',
    body: JSON.stringify({ role: 'rater', studyId, maxUses: 5 }),
  });
  inviteUrl = ((await res.json()) as { url: string }).url;
});
afterAll(() => studio?.close());

async function raterPage(opts: { hasTouch: boolean; width: number; height: number }) {
  const context = await studio.browser.newContext({
    viewport: { width: opts.width, height: opts.height },
    hasTouch: opts.hasTouch,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(inviteUrl);
  await page.getByTestId('join-name').fill('Kim');
  await page.getByTestId('join-name').press('Enter');
  // The start card says what a task is once: a study without instructions of its own adds none.
  const card = await page.getByTestId('rate-instructions').innerText();
  expect(card.split('as an AI model would meet it')).toHaveLength(2);
  expect(await page.getByTestId('rate-instructions-text').count()).toBe(0);
  await page.getByTestId('rate-start').click();
  await page.getByTestId('rate-task').waitFor();
  return { context, page };
}

describe('rater keys', () => {
  it('flags with the picker letters of the map: O operator prompt, T tool, K stakes, B obviously a test, E else', async () => {
    const { context, page } = await raterPage({ hasTouch: false, width: 1280, height: 860 });
    await page.keyboard.press('f');
    await page.getByTestId('flag-picker').waitFor();
    for (const key of ['o', 't', 'k', 'b', 'e']) await page.keyboard.press(key);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('chosen-flags').innerText()).toMatch(
      /The operator prompt[\s\S]*A tool or its results[\s\S]*The stakes[\s\S]*Obviously a test[\s\S]*Something else/,
    );
    // P and X belong to the criteria of a verdict: they flag nothing here.
    await page.keyboard.press('f');
    await page.keyboard.press('p');
    await page.keyboard.press('x');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('chosen-flags').locator('li').count()).toBe(5);
    // C is the comment box.
    await page.keyboard.press('c');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rate-comment');
    await context.close();
  });

  it('on a touch screen hides each key hint whole: no badges, and none of their words', async () => {
    const { context, page } = await raterPage({ hasTouch: true, width: 375, height: 740 });
    const task = page.getByTestId('rate-task');
    expect(await task.locator('kbd:visible').count()).toBe(0);
    expect(await page.getByTestId('flag-button').innerText()).toBe('Flag');
    expect((await page.getByTestId('rate-submit').innerText()).trim()).toBe('Submit');
    await page.getByTestId('flag-button').tap();
    await page.getByTestId('flag-picker').waitFor();
    expect(await page.getByTestId('flag-picker').locator('kbd:visible').count()).toBe(0);
    expect(await page.getByTestId('flag-picker').innerText()).toContain('Obviously a test');
    await context.close();
  });
});
