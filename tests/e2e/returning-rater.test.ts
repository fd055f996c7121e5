import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealismStudy } from '../studies/study-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// Same person, same link: a rater who closes the tab mid-batch and opens their (now used-up) invite
// link again continues the batch as the same account; /rate lists their studies with progress.

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
});
afterAll(() => studio?.close());

const leaseOf = (page: Page) => page.getByTestId('rate-task').getAttribute('data-lease');

describe('a rater coming back', () => {
  it('reopens the invite link and continues the batch with the same account; /rate lists the study', async () => {
    const studyId = await createRealismStudy(studio.server, {
      name: 'Realism: sycophancy',
      filter: { behavior: 'sycophancy' },
      batchSize: 10,
    });
    const invite = await studio.server.fetch('/api/admin/invites', {
      method: 'POST',
      body: JSON.stringify({ role: 'rater', studyId, maxUses: 1 }),
    });
    const { url } = (await invite.json()) as { url: string };

    const context = await studio.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(url);
    await page.getByTestId('join-name').fill('Ada');
    await page.keyboard.press('Enter');
    await page.getByTestId('rate-instructions').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('rate-task').waitFor();
    const firstLease = await leaseOf(page);
    await page.keyboard.press('4');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid="rate-task"]')?.getAttribute('data-lease') !== prev,
      firstLease,
    );
    const secondLease = await leaseOf(page);
    await page.close(); // mid-batch: the second scenario is leased, not rated

    // The same link in the same browser: straight back into the batch, at the task left open.
    const again = await context.newPage();
    again.setDefaultTimeout(10_000);
    await again.goto(url);
    await again.waitForURL(`${studio.server.url}/rate/${studyId}`);
    await again.getByTestId('rate-task').waitFor();
    expect(await leaseOf(again)).toBe(secondLease);
    expect(await again.getByTestId('rate-progress').innerText()).toMatch(/^1 \/ \d+/);
    expect(await again.getByTestId('join-name').count()).toBe(0);

    const raters = await studio.server.db
      .selectFrom('study_rater')
      .select('rater_id')
      .where('study_id', '=', studyId)
      .execute();
    expect(raters).toHaveLength(1);
    const uses = await studio.server.db
      .selectFrom('invite')
      .select('uses')
      .where('study_id', '=', studyId)
      .executeTakeFirstOrThrow();
    expect(uses.uses).toBe(1);

    // /rate: the study, with progress, continues where they were.
    await again.goto(`${studio.server.url}/rate`);
    const entry = again.locator(`[data-testid="rate-home-study"][data-study="${studyId}"]`);
    await entry.waitFor();
    expect(await entry.innerText()).toContain('Realism: sycophancy');
    expect(await entry.getByTestId('rate-home-progress').innerText()).toMatch(/^1 \/ \d+ rated$/);
    expect(await entry.innerText()).toContain('Continue');
    await entry.getByRole('link').click();
    await again.waitForURL(`${studio.server.url}/rate/${studyId}`);
    await again.getByTestId('rate-task').waitFor();
    expect(await leaseOf(again)).toBe(secondLease);
    await context.close();
  });
});
