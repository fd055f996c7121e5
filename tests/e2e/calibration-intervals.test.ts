import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShippedCalibration } from '../../bench/calibration-seed.ts';
import { startStudio, type Studio } from './support/studio.ts';

// The calibration page shows a report's metrics as soon as they are computed and its 95% intervals
// when the bootstrap is done (the server computes them on its calibration thread). The request for
// the full report is held here until the page has been seen without intervals, so both states are
// checked whatever the machine's speed.

let studio: Studio;
let studyId: string;
let judgeVersionId: string;
beforeAll(async () => {
  studio = await startStudio();
  ({ studyId, judgeVersionId } = await seedShippedCalibration(studio.server.db, 80));
});
afterAll(() => studio?.close());

describe('calibration intervals in the browser', () => {
  it('shows the metrics first, says the intervals are being computed, then shows them', async () => {
    const { page } = await studio.openPage('/studio');
    let release: (() => void) | null = null;
    const held = new Promise<Route>((resolve) => {
      void page.route(
        (url) => url.pathname === '/api/calibration' && url.searchParams.get('intervals') === 'now',
        (route) => {
          resolve(route);
          return new Promise<void>((done) => (release = done)).then(() => route.continue());
        },
      );
    });
    await page.goto(`${studio.server.url}/studio/calibration?study=${studyId}&judge=${judgeVersionId}`);

    // The metrics, with no interval yet, and a line saying why.
    await page.getByTestId('cal-intervals-pending').waitFor();
    await held; // the page asked for the full report
    expect(await page.getByTestId('cal-n').innerText()).toContain('80');
    expect(await page.getByTestId('metric-pearson').innerText()).toMatch(/\.\d\d/);
    expect(await page.getByTestId('metric-pearson').innerText()).not.toContain('[');
    // Groups show no interval either ("too few" stays for groups below the minimum).
    expect(await page.getByTestId('group-ci').filter({ hasText: '[' }).count()).toBe(0);

    // The full report: the intervals replace the line.
    release!();
    await page.getByTestId('cal-intervals-pending').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('metric-pearson').innerText()).toMatch(/\[-?\d*\.\d\d, -?\d*\.\d\d\]/);
    expect(await page.getByTestId('group-ci').filter({ hasText: '[' }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('cal-rules').innerText()).toContain('95% intervals from 1,000 bootstrap resamples');
  });
});
