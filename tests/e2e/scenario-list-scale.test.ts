import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { budget } from '../support/budget.ts';

// The list stays light with thousands of scenarios (issue 20 point 7): the page renders only the
// rows in view and fetches only the windows of 100 rows that hold them, so no response carries
// the whole list; End, the arrows and the scrollbar still reach every row.

const N = 3000; // 30 windows
const WINDOW = 100;
const idOf = (i: number) => `e2e-scale-${String(i).padStart(5, '0')}`;

let studio: Studio;
beforeAll(async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < N; i++) files[`honesty/${idOf(i)}.yaml`] = validScenarioText(idOf(i));
  studio = await startStudio({ shippedCorpus: false, files });
}, budget(120_000));
afterAll(() => studio?.close());

/** Every GET /api/scenarios (the list) the page makes: its query and what came back. */
function recordListResponses(page: Page) {
  const seen: Promise<{ query: URLSearchParams; bytes: number; items: number }>[] = [];
  page.on('response', (res: Response) => {
    const url = new URL(res.url());
    if (url.pathname !== '/api/scenarios') return;
    seen.push(
      res.body().then(
        (body) => ({
          query: url.searchParams,
          bytes: body.length,
          items: (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items.length,
        }),
        // A window still arriving when Enter opens a scenario has no body left to read: its size
        // comes from the network log, and it counts as a full window of rows.
        async () => ({
          query: url.searchParams,
          bytes: (await res.request().sizes()).responseBodySize,
          items: Number(url.searchParams.get('limit')),
        }),
      ),
    );
  });
  return () => Promise.all(seen);
}

const selectedId = (page: Page) =>
  page.locator('[data-testid="scenario-row"][aria-selected="true"]').getAttribute('data-id');

describe('the scenario list at scale', () => {
  it(`reaches every row of ${N.toLocaleString('en')} scenarios by keyboard and scrolling, fetching only the windows in view`, async () => {
    const { page } = await studio.openPage('/studio?category=honesty');
    const responses = recordListResponses(page);
    await expect
      .poll(() => page.getByTestId('result-count').innerText(), { timeout: budget(15_000) })
      .toBe(`${N.toLocaleString('en')} scenarios`);
    const rows = page.getByTestId('scenario-row');
    expect(await rows.count()).toBeLessThan(60);

    // End: the last row, from the last window, fetched on demand.
    await page.getByTestId('scenario-list').focus();
    await page.keyboard.press('End');
    await page.locator(`[data-testid="scenario-row"][data-id="${idOf(N - 1)}"]`).waitFor();
    await expect.poll(() => selectedId(page)).toBe(idOf(N - 1));
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => selectedId(page)).toBe(idOf(N - 2));
    expect(await rows.count()).toBeLessThan(60);
    // Opening the row and coming back highlights it again, though its window is not the first.
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/studio/scenarios/${idOf(N - 2)}`);
    await page.goBack();
    await expect.poll(() => selectedId(page), { timeout: budget(10_000) }).toBe(idOf(N - 2));
    await page.getByTestId('scenario-list').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => selectedId(page)).toBe(idOf(0));

    // The scrollbar: half-way down shows the rows of the middle windows, in order, once fetched.
    await page.getByTestId('scenario-list').evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    // The rows shown once none is loading, by number. The scroll event and the render after it come
    // later than the scrollTop set above, so a first look may still see the top rows: wait for the middle.
    const rowsInView = async () => {
      if ((await page.getByTestId('scenario-row-loading').count()) > 0) return [];
      const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
      return ids.map((id) => Number(id.slice('e2e-scale-'.length))).sort((a, b) => a - b);
    };
    await expect.poll(async () => (await rowsInView())[0] ?? -1).toBeGreaterThan(N / 2 - 60);
    const numbers = await rowsInView();
    expect(numbers[0]).toBeGreaterThan(N / 2 - 60);
    expect(numbers[numbers.length - 1]).toBeLessThan(N / 2 + 60);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));

    // A filter of 1,000 (ten windows): End reaches its last row.
    await page.getByTestId('search-input').fill('e2e-scale-01');
    await expect.poll(() => page.getByTestId('result-count').innerText()).toBe('1,000 scenarios');
    await page.getByTestId('scenario-list').focus();
    await page.keyboard.press('End');
    await expect.poll(() => selectedId(page)).toBe(idOf(1999));
    await page.keyboard.press('PageUp');
    await expect.poll(async () => Number((await selectedId(page))?.slice('e2e-scale-'.length))).toBeLessThan(1999);

    await page.getByTestId('search-input').fill(idOf(1234));
    await expect.poll(() => page.getByTestId('result-count').innerText()).toBe('1 scenario');
    expect(await rows.count()).toBe(1);

    // No response held more than a window, and the windows fetched were far fewer than the list's.
    const lists = await responses();
    const windows = lists.filter((r) => r.query.get('limit') === String(WINDOW));
    expect(windows.length).toBeGreaterThan(3);
    for (const r of lists) {
      expect(Number(r.query.get('limit'))).toBeLessThanOrEqual(WINDOW);
      expect(r.items).toBeLessThanOrEqual(WINDOW);
      expect(r.bytes).toBeLessThan(100_000);
    }
    expect(windows.reduce((n, r) => n + r.items, 0)).toBeLessThan(N / 2);
  });
});
