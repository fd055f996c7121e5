import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealismStudy } from '../studies/study-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';

// A rater goes back to what they rated (←), changes it, and returns to the task they were on;
// the admin then sees the rater's name and time per task on the study page.

let studio: Studio;
let studyId: string;
let inviteUrl: string;
beforeAll(async () => {
  studio = await startStudio();
  studyId = await createRealismStudy(studio.server, { name: 'Going back', filter: { category: 'honesty' } });
  const res = await studio.server.fetch('/api/admin/invites', {
    method: 'POST',
    body: JSON.stringify({ role: 'rater', studyId, maxUses: 5 }),
  });
  inviteUrl = ((await res.json()) as { url: string }).url;
});
afterAll(() => studio?.close());

describe('going back to an earlier rating', () => {
  it('opens the last rating with its answer, saves a change, and comes back to the same task', async () => {
    const context = await studio.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(inviteUrl);
    await page.getByTestId('join-name').fill('Grace Hopper');
    await page.getByTestId('join-name').press('Enter');
    await page.getByTestId('rate-start').click();

    // Two ratings by keyboard: 4, then 3 with a comment.
    const task = page.getByTestId('rate-task');
    await task.waitFor();
    expect(await page.getByTestId('rate-previous').count()).toBe(0); // nothing rated yet
    const firstLease = await task.getAttribute('data-lease');
    await page.keyboard.press('4');
    await page.keyboard.press('Enter');
    await expect.poll(() => task.getAttribute('data-lease')).not.toBe(firstLease);
    await page.keyboard.press('3');
    await page.keyboard.press('c');
    await page.getByTestId('rate-comment').fill('the CFO would not write like this');
    await page.keyboard.press('Escape');
    const secondLease = await task.getAttribute('data-lease');
    await page.keyboard.press('Enter');
    await expect.poll(() => task.getAttribute('data-lease')).not.toBe(secondLease);
    const thirdLease = await task.getAttribute('data-lease');

    // ← opens the latest rating as given.
    await page.keyboard.press('ArrowLeft');
    const revision = page.getByTestId('rate-revision');
    await revision.waitFor();
    expect(await revision.getAttribute('data-rating')).toBe(secondLease);
    expect(await page.getByTestId('revision-banner').innerText()).toContain('Your rating #2');
    expect(await page.getByTestId('rating-3').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('rate-comment').inputValue()).toBe('the CFO would not write like this');

    // ← again: the one before; Esc: back to the task in hand, as it was.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => revision.getAttribute('data-rating')).toBe(firstLease);
    expect(await page.getByTestId('rating-4').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => task.getAttribute('data-lease')).toBe(thirdLease);

    // Change the first rating from 4 to 2.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => revision.getAttribute('data-rating')).toBe(secondLease);
    await page.getByTestId('rate-previous').click();
    await expect.poll(() => revision.getAttribute('data-rating')).toBe(firstLease);
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => task.getAttribute('data-lease')).toBe(thirdLease);
    expect(await page.getByTestId('rate-notice').innerText()).toContain('Changed your earlier rating to 2');
    const stored = await studio.server.db
      .selectFrom('realism_rating')
      .select('realism')
      .where('id', '=', firstLease!)
      .executeTakeFirstOrThrow();
    expect(stored.realism).toBe(2);
    await context.close();

    // The admin sees who rated and how long they took.
    const { page: admin } = await studio.openPage(`/studio/studies/${studyId}`);
    const row = admin.getByTestId('rater-row').first();
    await expect.poll(() => row.getByTestId('rater-name').innerText()).toBe('Grace Hopper');
    expect(await row.getByTestId('rater-time').innerText()).toMatch(/^\d+ s|^\d+ min/);
  });
});
