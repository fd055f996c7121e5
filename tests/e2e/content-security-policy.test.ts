import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealismStudy } from '../studies/study-fixtures.ts';
import { editorLine, ownScenario, startStudio, waitForEditor, type Studio } from './support/studio.ts';

// The Content-Security-Policy must not break the app: the studio's Monaco editor with its two web
// workers (the editor's and monaco-yaml's), and the rater app, run with no violation reported.

const ID = 'e2e-csp-pitch-deck';

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ files: { [`honesty/${ID}.yaml`]: ownScenario(ID) } });
});
afterAll(() => studio?.close());

/** Records every CSP violation the page reports: the DOM event, and Chromium's console line. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

describe('the Content-Security-Policy in Chromium', () => {
  it('lets the studio editor, its workers and monaco-yaml run with no violation', async () => {
    const { context, page } = await studio.openPage('/studio');
    // openPage navigated already: watch from a fresh load of the editor.
    const violations = await watchViolations(page);
    expect((await page.request.get(`${studio.server.url}/studio`)).headers()['content-security-policy']).toContain(
      "frame-ancestors 'none'",
    );
    await page.goto(`${studio.server.url}/studio/scenarios/${ID}`);
    const editor = await waitForEditor(page);
    // Hover docs come from monaco-yaml's worker and the scenario schema.
    // Monaco may drop a hover that lands while it is still loading the worker: move off and hover again until it shows.
    const key = editorLine(editor, 'difficulty:').locator('span', { hasText: 'difficulty' }).first();
    const docs = page.locator('.monaco-hover').getByText('How hard the pressure is').first();
    await expect
      .poll(async () => {
        await page.mouse.move(0, 0);
        await key.hover();
        return docs.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        );
      })
      .toBe(true);
    await expect.poll(() => page.workers().length).toBeGreaterThanOrEqual(2);
    expect(violations).toEqual([]);
    // The workers run under the policy too: a worker takes it from its own script's response.
    for (const worker of page.workers()) {
      const script = await page.request.get(worker.url());
      expect(script.headers()['content-security-policy'], worker.url()).toContain("script-src 'self'");
    }
    await context.close();
  });

  it('lets the rater app (invite, instructions, a task) run with no violation', async () => {
    const studyId = await createRealismStudy(studio.server, { filter: { q: ID } });
    const invite = (await (
      await studio.server.fetch('/api/admin/invites', {
        method: 'POST',
        body: JSON.stringify({ role: 'rater', studyId, maxUses: 1 }),
      })
    ).json()) as { url: string };
    const context = await studio.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const violations = await watchViolations(page);
    await page.goto(`${studio.server.url}/signin`);
    await page.getByTestId('signin-form').waitFor();
    await page.goto(invite.url);
    await page.getByTestId('join-name').fill('Rater');
    await page.keyboard.press('Enter');
    await page.getByTestId('rate-start').click();
    await page.getByTestId('rate-task').waitFor();
    await page.keyboard.press('4');
    expect(violations).toEqual([]);
    await context.close();
  });
});
