import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type Studio } from './support/studio.ts';

// The studio at phone width (390 x 844): nothing runs off the page sideways, every section of the
// top bar is reachable, and the scenario list gets the screen's width (the sidebar stacks above).

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
});
afterAll(() => studio?.close());

describe('the studio on a phone', () => {
  it('fits the width: the top bar wraps, the sidebar stacks, titles have room', async () => {
    const { context, page } = await studio.openPage('/studio');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('scenario-row').first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Every section link can be reached: it is inside the window, or the nav scrolls to it.
    for (const id of ['nav-scenarios', 'nav-studies', 'nav-judges', 'nav-calibration', 'nav-runs']) {
      await page.getByTestId(id).scrollIntoViewIfNeeded();
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x, id).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, id).toBeLessThanOrEqual(390);
    }
    // The list row spans (nearly) the whole width, below the sidebar.
    const row = (await page.getByTestId('scenario-row').first().boundingBox())!;
    expect(row.width).toBeGreaterThan(340);
    const sidebar = (await page.getByTestId('sidebar').boundingBox())!;
    expect(row.y).toBeGreaterThan(sidebar.y + sidebar.height - 1);
    await context.close();
  });
});
