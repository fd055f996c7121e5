import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type Studio } from './support/studio.ts';

// A crowd study in the browser: the admin sets what completes a batch and how many skips are
// allowed; the participant is told both and can skip only that often; a studio user who opens
// the participant link is asked first, and stays signed in unless they confirm.

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
});
afterAll(() => studio?.close());

describe('a crowd study', () => {
  it('states what completes a batch and bounds the skips, for the admin and the participant', async () => {
    const { page: admin } = await studio.openPage('/studio/studies');
    await admin.getByTestId('new-study').click();
    await admin.getByTestId('study-name').fill('Crowd realism');
    await admin.getByTestId('study-behavior').selectOption('privacy-protection');
    await admin.getByTestId('study-max-skips').fill('1');
    await admin.getByTestId('study-require-platform-ids').check();
    await admin.getByTestId('create-study').click();
    await admin.waitForURL(/\/studio\/studies\/st-[a-z0-9-]+$/);
    const studyId = new URL(admin.url()).pathname.split('/').pop()!;
    await expect
      .poll(() => admin.getByTestId('completion-rule').innerText())
      .toBe(
        'Complete means 20 ratings; a participant may skip up to 1 scenario on the way. Skipping or running out of scenarios earns no code.',
      );

    // The admin opening the participant link stays signed in to the studio and is told why.
    const entry = `${studio.server.url}/api/rate/prolific/${studyId}?PROLIFIC_PID=5f0000000000000000000001&STUDY_ID=s1&SESSION_ID=x1`;
    await admin.goto(entry);
    await admin.getByText('You are signed in to the studio').waitFor();
    await admin.getByText('Nothing has changed yet').waitFor();
    await admin.getByRole('link', { name: 'Back to the studio' }).click();
    await admin.getByTestId('signed-in-as').waitFor();

    // A participant without the platform's session id is refused; with it, let in.
    const context = await studio.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(entry.replace('&SESSION_ID=x1', ''));
    await page.getByText('Open this study from Prolific').waitFor();
    await page.goto(entry);
    await page.waitForURL(new RegExp(`/rate/${studyId}$`));
    expect(await page.getByTestId('rate-completion-rule').innerText()).toMatch(
      /^To finish, rate 20 scenarios; then you get your completion code\. You may skip up to 1 scenario you cannot judge/,
    );
    await page.getByTestId('rate-start').click();
    await page.getByTestId('rate-task').waitFor();
    expect(await page.getByTestId('rate-skips-left').innerText()).toBe('(1 left)');
    const first = await page.getByTestId('rate-task').getAttribute('data-lease');
    await page.keyboard.press('s');
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid="rate-task"]')?.getAttribute('data-lease') !== prev,
      first,
    );
    await expect.poll(() => page.getByTestId('rate-skips-left').innerText()).toBe('(0 left)');
    expect(await page.getByTestId('rate-skip').isDisabled()).toBe(true);
    await page.keyboard.press('s');
    expect(await page.getByTestId('rate-problem').innerText()).toContain('used all the skips');
    await context.close();

    // The admin may choose to follow the link after all: signed out of the studio, in as the participant.
    await admin.goto(entry.replace('5f0000000000000000000001', '5f0000000000000000000002'));
    await admin.getByRole('button', { name: 'Sign out of the studio and continue as a participant' }).click();
    await admin.waitForURL(new RegExp(`/rate/${studyId}$`));
    await admin.getByTestId('rate-completion-rule').waitFor();
    await admin.goto(`${studio.server.url}/studio`);
    await admin.waitForURL(/\/(signin|rate)/);
  });
});
