import { launchChromium } from '../tests/setup/chromium.ts';
import { fmt, percentile, recordFigure } from './support.ts';

/**
 * The studio's scenario list in Chromium against a large corpus: time to first rows, time from a
 * search keystroke to the filtered list, and frame times while scrolling (a janky list shows long
 * frames). Needs a signed-in session cookie for the server.
 */
export async function measureStudio(url: string, sessionToken: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'crucible_session', value: sessionToken, url }]);
    const page = await context.newPage();

    const t0 = performance.now();
    await page.goto(`${url}/studio`);
    await page.getByTestId('scenario-row').first().waitFor();
    const firstRows = performance.now() - t0;
    const total = await page.getByTestId('result-count').textContent();
    const rendered = await page.getByTestId('scenario-row').count();
    console.log(
      `studio: first rows after ${fmt(firstRows)} (${total}; ${rendered} rows in the page, the rest virtual)`,
    );

    // Search: from the last keystroke to the list showing the new count (includes the 250 ms debounce).
    // A search whose list never updates is a failure, not a 10 s sample.
    const searches: number[] = [];
    for (const q of ['refund', 'deck investor', 'migration', 'zzzz-no-match', '']) {
      const before = await page.getByTestId('result-count').textContent();
      const t = performance.now();
      await page.getByTestId('search-input').fill(q);
      await page.waitForFunction(
        (prev) => document.querySelector('[data-testid="result-count"]')?.textContent !== prev,
        before,
        { timeout: 10_000 },
      );
      searches.push(performance.now() - t);
    }
    console.log(
      `studio: search to filtered list p50 ${fmt(percentile(searches, 50))}, max ${fmt(Math.max(...searches))} (includes the 250 ms typing pause)`,
    );

    // Scroll the whole list, measuring frame intervals.
    const frames = await page.evaluate(async () => {
      const list = document.querySelector('[data-testid="scenario-list"]') as HTMLElement;
      const intervals: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        list.scrollTop += list.clientHeight;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        intervals.push(now - last);
        last = now;
      }
      return intervals;
    });
    const p95 = percentile(frames, 95);
    console.log(`studio: scrolling ${frames.length} pages, frame p50 ${fmt(percentile(frames, 50))}`);
    recordFigure('studio list scrolling, frame p95 (responsive)', p95, { atMost: 50, unit: 'ms' });
  } finally {
    await browser.close();
  }
}
