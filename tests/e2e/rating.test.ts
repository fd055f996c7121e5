import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyResults } from '../../schema/api/studies.ts';
import { createRealismStudy, nextTask, rateNext, raterViaInvite } from '../studies/study-fixtures.ts';
import { startStudio, type Studio } from './support/studio.ts';
import { budget } from '../support/budget.ts';

// Human realism rating end to end: an admin opens a study and an invite link in the studio, raters
// in their own browsers rate with the keyboard, the studio shows the results. Raters see only
// their own task: never another rater's answer, never the studio or its API.

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio();
});
afterAll(() => studio?.close());

interface RaterBrowser {
  context: BrowserContext;
  page: Page;
  /** Every API response body this rater's browser received. */
  seen: string[];
}

/** A new browser (own cookies and storage) that opens the invite link and joins with a name. */
async function joinAsRater(
  inviteUrl: string,
  name: string,
  viewport = { width: 1280, height: 860 },
): Promise<RaterBrowser> {
  const context = await studio.browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error(`[browser ${name}] ${e.message}`));
  const seen: string[] = [];
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.startsWith('/api/'))
      void res.text().then(
        (t) => seen.push(t),
        () => undefined,
      );
  });
  await page.goto(inviteUrl);
  await page.getByTestId('join-name').fill(name);
  await page.keyboard.press('Enter');
  await page.getByTestId('rate-instructions').waitFor();
  return { context, page, seen };
}

const leaseOf = (page: Page) => page.getByTestId('rate-task').getAttribute('data-lease');

/** After a submit or skip: the next task (another lease) or the end screen. */
async function nextShown(page: Page, previousLease: string | null): Promise<void> {
  await page.waitForFunction((prev) => {
    if (document.querySelector('[data-testid="rate-done"]')) return true;
    const task = document.querySelector('[data-testid="rate-task"]');
    return task !== null && task.getAttribute('data-lease') !== prev;
  }, previousLease);
}

/** One keyboard-only step: the keys pressed on the current task, then wait for what comes next. */
async function keys(page: Page, sequence: string[]): Promise<void> {
  await page.getByTestId('rate-task').waitFor();
  const lease = await leaseOf(page);
  for (const key of sequence) await page.keyboard.press(key);
  await nextShown(page, lease);
}

const results = async (id: string) =>
  (await (await studio.server.fetch(`/api/studies/${id}/results`)).json()) as StudyResults;

describe('realism rating in the browser', () => {
  it('an admin opens a study and an invite link; three raters rate with the keyboard; the studio shows the results and alpha', async () => {
    // The admin, in the studio.
    const { page: admin } = await studio.openPage('/studio');
    await admin.getByTestId('nav-studies').click();
    await admin.getByTestId('new-study').click();
    await admin.getByTestId('study-name').fill('Realism: prompt injection');
    await admin.getByTestId('study-behavior').selectOption('prompt-injection');
    await admin.getByTestId('study-raters').fill('3');
    await expect.poll(() => admin.getByTestId('study-selection').innerText()).toBe('Selects 3 scenarios');
    await admin.getByTestId('create-study').click();
    await admin.waitForURL(/\/studio\/studies\/st-[a-z0-9-]+$/);
    const studyId = new URL(admin.url()).pathname.split('/').pop()!;
    await admin.getByTestId('invite-uses').fill('3');
    await admin.getByTestId('create-invite').click();
    const inviteUrl = await admin.getByTestId('invite-url').inputValue();
    expect(inviteUrl).toMatch(/\/join\/[A-Za-z0-9_-]{20,}$/);
    expect(await admin.getByTestId('prolific-url').inputValue()).toBe(
      `${studio.server.url}/api/rate/prolific/${studyId}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`,
    );
    // The completion code crowd raters get, to enter in Prolific.
    const stored = await studio.server.db
      .selectFrom('study')
      .select('completion_code')
      .where('id', '=', studyId)
      .executeTakeFirstOrThrow();
    expect(await admin.getByTestId('completion-code').innerText()).toBe(stored.completion_code);

    // Three raters, one browser each, keyboard only.
    const secret = 'Ada thinks turn one reads like a red-team script';
    const ada = await joinAsRater(inviteUrl, 'Ada');
    await ada.page.keyboard.press('Enter'); // past the instructions
    // 2, flag turn 1 and "obviously a test" (B) in the picker, Esc, a comment (C, type, Esc), Enter.
    await ada.page.getByTestId('rate-task').waitFor();
    // Out of the study's 3 scenarios (not its crowd batch size of 20: Ada came by invite).
    expect(await ada.page.getByTestId('rate-progress').innerText()).toContain('0 / 3');
    await ada.page.keyboard.press('2');
    await ada.page.keyboard.press('f');
    await ada.page.getByTestId('flag-picker').waitFor();
    await ada.page.keyboard.press('1');
    await ada.page.keyboard.press('b');
    await ada.page.keyboard.press('Escape');
    expect(await ada.page.getByTestId('chosen-flags').innerText()).toMatch(/User turn 1[\s\S]*Obviously a test/);
    await ada.page.keyboard.press('c');
    await ada.page.keyboard.type(secret);
    await ada.page.keyboard.press('Escape');
    expect(await ada.page.getByTestId('rating-2').getAttribute('aria-checked')).toBe('true');
    await keys(ada.page, ['Enter']);
    expect(await ada.page.getByTestId('rate-notice').innerText()).toContain('Saved your rating of 2');
    expect(await ada.page.getByTestId('rate-progress').innerText()).toContain('1 / 3');
    await keys(ada.page, ['4', 'Enter']);
    await keys(ada.page, ['5', 'Enter']);
    await ada.page.getByTestId('rate-done').waitFor();
    expect(await ada.page.getByTestId('rate-done').getAttribute('data-reason')).toBe('no-more-tasks');

    const ben = await joinAsRater(inviteUrl, 'Ben');
    await ben.page.keyboard.press('Enter');
    // Enter without a rating explains instead of submitting.
    await ben.page.getByTestId('rate-task').waitFor();
    await ben.page.keyboard.press('Enter');
    expect(await ben.page.getByTestId('rate-problem').innerText()).toContain('Choose a rating from 1 to 5');
    await keys(ben.page, ['2', 'Enter']);
    await keys(ben.page, ['4', 'Enter']);
    await keys(ben.page, ['5', 'Enter']);
    await ben.page.getByTestId('rate-done').waitFor();

    const cy = await joinAsRater(inviteUrl, 'Cy');
    await cy.page.keyboard.press('Enter');
    await keys(cy.page, ['s']); // skip one: it is not offered again
    expect(await cy.page.getByTestId('rate-notice').innerText()).toContain('Skipped');
    await keys(cy.page, ['3', 'Enter']);
    await keys(cy.page, ['4', 'Enter']);
    await cy.page.getByTestId('rate-done').waitFor();

    // The studio shows what the API computed: counts, alpha with its interval, the comment as written.
    const r = await results(studyId);
    expect(r.study.ratings).toBe(8);
    expect(r.alpha.overall).not.toBeNull();
    await admin.reload();
    await expect.poll(() => admin.getByTestId('stat-ratings').innerText()).toMatch(/^8\s*\/\s*9/);
    const overall = await admin.getByTestId('alpha-overall').innerText();
    const fmt = (n: number) => n.toFixed(2).replace(/^(-?)0\./, '$1.');
    expect(overall).toContain(fmt(r.alpha.overall!));
    // Three scenarios: below the five an interval needs, so none is computed or shown.
    expect(r.alpha.ci).toBeNull();
    expect(overall).toContain('too few for an interval');
    expect(await admin.getByTestId('scenario-result').count()).toBe(3);
    expect(await admin.getByTestId('rater-row').count()).toBe(3);
    expect(await admin.getByTestId('stat-validated').innerText()).toMatch(
      new RegExp(`^${r.study.validated}\\s*/\\s*3`),
    );
    const commented = r.scenarios.find((s) => s.comments.some((c) => c.comment === secret))!;
    const row = admin.locator(`[data-testid="scenario-result"][data-id="${commented.scenarioId}"]`);
    await row.getByTestId('comments-toggle').click();
    await admin.getByTestId('comment-text').filter({ hasText: secret }).first().waitFor();
    expect(await row.innerText()).toMatch(/user turn ×1.*obviously a test ×1|obviously a test ×1.*user turn ×1/);
    // Validated scenarios carry the badge in the scenario browser too.
    await admin.goto(`${studio.server.url}/studio?behavior=prompt-injection`);
    await admin.getByTestId('scenario-row').first().waitFor();
    const badged = await admin
      .locator('[data-testid="scenario-row"]:has([data-testid="validated-badge"])')
      .evaluateAll((rows) => rows.map((x) => x.getAttribute('data-id')).sort());
    expect(badged).toEqual(
      r.scenarios
        .filter((s) => s.validated)
        .map((s) => s.scenarioId)
        .sort(),
    );

    // No rater saw another rater's answers: nothing the raters' browsers received names Ada's
    // comment or the other raters (beyond Ada's own browser, which sent it).
    expect(r.raters).toHaveLength(3);
    for (const other of [ada, ben, cy]) {
      const own = await other.page.evaluate(
        async () => ((await (await fetch('/api/auth/me')).json()) as { pseudonym: string }).pseudonym,
      );
      const received = other.seen.join('\n');
      for (const x of r.raters) if (x.pseudonym !== own) expect(received).not.toContain(x.pseudonym);
      if (other !== ada) {
        expect(received).not.toContain(secret);
        expect(await other.page.content()).not.toContain(secret);
      }
    }

    // Nor the studio: the page sends them to /rate, and its API refuses them.
    for (const rater of [ada, ben, cy]) {
      await rater.page.goto(`${studio.server.url}/studio/studies/${studyId}`);
      await rater.page.waitForURL(/\/rate$/);
      const statuses = await rater.page.evaluate(async (id) => {
        const get = async (path: string) => (await fetch(path)).status;
        return [
          await get(`/api/studies/${id}/results`),
          await get('/api/studies'),
          await get(`/api/studies/${id}/export.jsonl`),
          await get('/api/admin/users'),
          await get('/api/scenarios'),
        ];
      }, studyId);
      expect(statuses).toEqual([403, 403, 403, 403, 403]);
    }
    await Promise.all([ada, ben, cy].map((x) => x.context.close()));
  });

  it('shows a comment with HTML and a script as literal text on the results page; nothing runs', async () => {
    const id = await createRealismStudy(studio.server, {
      name: 'Script in a comment',
      filter: { behavior: 'sycophancy' },
      ratersPerItem: 1,
    });
    const invite = (await (
      await studio.server.fetch('/api/admin/invites', {
        method: 'POST',
        body: JSON.stringify({ role: 'rater', studyId: id }),
      })
    ).json()) as { url: string };
    const comment =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> <b>bold?</b> & 5 stars, skip it';
    const rater = await joinAsRater(invite.url, 'Mallory');
    await rater.page.keyboard.press('Enter');
    // Typed into the comment box: its letters and digits (s, f, 5) must not act as shortcuts.
    await rater.page.getByTestId('rate-task').waitFor();
    const lease = await leaseOf(rater.page);
    await rater.page.keyboard.press('1');
    await rater.page.keyboard.press('c');
    await rater.page.keyboard.type(comment);
    expect(await rater.page.getByTestId('rate-comment-counter').innerText()).toBe(`${comment.length} / 2000`);
    expect(await rater.page.getByTestId('rating-1').getAttribute('aria-checked')).toBe('true');
    expect(await rater.page.getByTestId('rate-task').getAttribute('data-lease')).toBe(lease); // "s" did not skip
    await rater.page.keyboard.press('Escape');
    // The instructions again, mid-task: digits there do nothing, and coming back keeps what was entered.
    await rater.page.getByRole('button', { name: 'Instructions' }).click();
    await rater.page.getByTestId('rate-instructions').waitFor();
    await rater.page.keyboard.press('5');
    await rater.page.keyboard.press('Enter');
    expect(await rater.page.getByTestId('rate-comment').inputValue()).toBe(comment);
    expect(await rater.page.getByTestId('rating-1').getAttribute('aria-checked')).toBe('true');
    await rater.page.keyboard.press('Enter');
    await nextShown(rater.page, lease);
    const r = await results(id);
    const rated = r.scenarios.find((s) => s.n === 1)!;
    expect(rated.comments[0]).toMatchObject({ realism: 1, comment });

    const { page } = await studio.openPage(`/studio/studies/${id}`);
    await page
      .locator(`[data-testid="scenario-result"][data-id="${rated.scenarioId}"]`)
      .getByTestId('comments-toggle')
      .click();
    const shown = page.getByTestId('comment-text').first();
    expect(await shown.innerText()).toBe(comment);
    expect(await shown.evaluate((el) => el.querySelector('img, script, b'))).toBeNull();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await rater.context.close();
  });

  it('works on a phone-sized screen (375 x 740): no sideways scrolling, rating by touch', async () => {
    const id = await createRealismStudy(studio.server, {
      name: 'Phone study',
      filter: { behavior: 'strategic-deception' },
    });
    const invite = (await (
      await studio.server.fetch('/api/admin/invites', {
        method: 'POST',
        body: JSON.stringify({ role: 'rater', studyId: id }),
      })
    ).json()) as { url: string };
    const rater = await joinAsRater(invite.url, 'Pat', { width: 375, height: 740 });
    const { page } = rater;
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByTestId('rate-start').click();
    await page.getByTestId('rate-task').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The scenario comes first, the rating after it, both full width.
    const scenarioBox = (await page.getByTestId('rater-scenario').boundingBox())!;
    const ratingBox = (await page.getByTestId('rating-4').boundingBox())!;
    expect(ratingBox.y).toBeGreaterThan(scenarioBox.y + scenarioBox.height - 1);
    expect(ratingBox.width).toBeGreaterThan(300);
    const lease = await leaseOf(page);
    await page.getByTestId('rs-turn').first().getByRole('button').click(); // flag turn 1 from the turn itself
    await page.getByTestId('rating-4').click();
    await page.getByTestId('rate-comment').fill('Fine on a phone.');
    await page.screenshot({ path: '.tmp/e2e-rating-phone.png', fullPage: true });
    await page.getByTestId('rate-submit').click();
    await nextShown(page, lease);
    expect(await page.getByTestId('rate-progress').innerText()).toContain('1 / 5');
    const r = await results(id);
    expect(r.scenarios.flatMap((s) => s.comments)).toEqual([
      {
        pseudonym: expect.any(String),
        realism: 4,
        comment: 'Fine on a phone.',
        flags: [{ kind: 'user-turn', turn: 0 }],
      },
    ]);
    await rater.context.close();
  });

  it('explains a rating of a version edited meanwhile (409), stores nothing, and moves on to the next task', async () => {
    const scenarioId = 'sycophancy-pitch-deck-unit-economics';
    const id = await createRealismStudy(studio.server, { name: 'Edited under the rater', filter: { q: scenarioId } });
    const invite = (await (
      await studio.server.fetch('/api/admin/invites', {
        method: 'POST',
        body: JSON.stringify({ role: 'rater', studyId: id }),
      })
    ).json()) as { url: string };
    const rater = await joinAsRater(invite.url, 'Eve');
    await rater.page.keyboard.press('Enter');
    await rater.page.getByTestId('rate-task').waitFor();
    // The author saves a new version while the rater reads, editing a user turn: what the rater sees
    // (a title or summary edit would leave the task as it is).
    const doc = (await (await studio.server.fetch(`/api/scenarios/${scenarioId}`)).json()) as {
      content: string;
      hash: string;
    };
    const edited = doc.content.replace('make slide 4 (unit economics) pop?', 'make slide 4 (unit economics) shine?');
    expect(edited).not.toBe(doc.content);
    expect(
      (
        await studio.server.fetch(`/api/scenarios/${scenarioId}`, {
          method: 'PUT',
          body: JSON.stringify({ content: edited, baseHash: doc.hash }),
        })
      ).status,
    ).toBe(200);
    await keys(rater.page, ['4', 'Enter']);
    expect(await rater.page.getByTestId('rate-notice').innerText()).toMatch(
      /not saved: the author edited this scenario/,
    );
    expect((await results(id)).study.ratings).toBe(0);
    // The next task is the new version; rating it works.
    await keys(rater.page, ['4', 'Enter']);
    await rater.page.getByTestId('rate-done').waitFor();
    expect((await results(id)).study.ratings).toBe(1);
    await rater.context.close();
  });

  it('gives a crowd participant the completion code and sends them back to the platform', async () => {
    const completionUrl = `${studio.server.url}/rate?completed=1`;
    const id = await createRealismStudy(studio.server, {
      name: 'Crowd study',
      filter: { behavior: 'consistency' },
      batchSize: 1,
      completionUrl,
    });
    const code = (
      await studio.server.db
        .selectFrom('study')
        .select('completion_code')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).completion_code;
    const context = await studio.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(
      `${studio.server.url}/api/rate/prolific/${id}?PROLIFIC_PID=5f1e2d3c4b5a69788796a5b4&STUDY_ID=abc123&SESSION_ID=def456`,
    );
    await page.waitForURL(new RegExp(`/rate/${id}$`));
    await page.getByTestId('rate-start').click();
    await keys(page, ['3', 'Enter']);
    expect(await page.getByTestId('rate-done').getAttribute('data-reason')).toBe('batch-complete');
    expect(await page.getByTestId('completion-code').innerText()).toBe(code);
    expect(await page.getByRole('link', { name: 'Continue now' }).getAttribute('href')).toBe(completionUrl);
    await page.waitForURL(completionUrl, { timeout: budget(10_000) });
    await context.close();
  });

  it('lets an admin mark a gold scenario, leave out a rater who fails it, close and reopen, export and import', async () => {
    const scenarioId = 'sycophancy-pitch-deck-unit-economics';
    const id = await createRealismStudy(studio.server, {
      name: 'Gold and exports',
      filter: { q: scenarioId },
      maxAttentionFailures: 0,
    });
    const { page } = await studio.openPage(`/studio/studies/${id}`);
    const row = page.locator(`[data-testid="scenario-result"][data-id="${scenarioId}"]`);
    await row.getByTestId('gold-edit').click();
    await row.getByLabel('Lowest expected rating').selectOption('4');
    await row.getByLabel('Highest expected rating').selectOption('5');
    await row.getByTestId('gold-save').click();
    await row.getByText('4–5').waitFor();

    const careless = await raterViaInvite(studio.server, id, 'Careless');
    await rateNext(studio.server, careless, id, 1, { comment: 'careless' });
    await page.reload();
    await page.getByTestId('rater-row').getByText('flagged').waitFor();
    await expect.poll(() => page.getByTestId('stat-ratings').innerText()).toMatch(/^0\s*\//);
    await page.getByTestId('exclude-flagged').uncheck();
    await expect.poll(() => page.getByTestId('stat-ratings').innerText()).toMatch(/^1\s*\//);

    await page.getByTestId('toggle-open').click();
    await page.getByTestId('study-status').getByText('closed').waitFor();
    const late = await raterViaInvite(studio.server, id, 'Late');
    expect(await nextTask(late, id)).toMatchObject({ kind: 'done', reason: 'study-closed' });
    await page.getByTestId('toggle-open').click();
    await page.getByTestId('study-status').getByText('open').waitFor();
    expect((await nextTask(late, id)).kind).toBe('task');

    await page.getByTestId('write-annotations').click();
    expect(await page.getByTestId('annotations-written').innerText()).toBe(
      `Wrote 1 rating to annotations/realism-${id}.jsonl and annotations/realism-${id}.csv.`,
    );
    const written = join(studio.server.dir, 'annotations', `realism-${id}.jsonl`);
    expect(existsSync(written)).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-jsonl').click()]);
    expect(download.suggestedFilename()).toBe(`realism-${id}.jsonl`);
    const file = (await download.path())!;
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(written, 'utf8'));

    await page.getByTestId('nav-studies').click();
    await page.getByTestId('import-study').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-submit').click();
    await page.waitForURL(new RegExp(`/studio/studies/${id}-imported-[a-z0-9]+$`));
    await page.getByTestId('exclude-flagged').uncheck();
    await expect.poll(() => page.getByTestId('stat-ratings').innerText()).toMatch(/^1\s*\//);
  });
});
