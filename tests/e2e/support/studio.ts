import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from '../../setup/chromium.ts';
import { budget } from '../../support/budget.ts';
import { validScenarioText } from '../../support/scenario-fixtures.ts';
import { PROJECT_ROOT, startTestServer, type TestServer, type TestServerOptions } from '../../support/test-server.ts';

// What the browser tests share: a real server with the shipped corpus and the built client,
// Debian's Chromium, and the few Monaco gestures a researcher makes (click a line, retype it).

export interface Studio {
  server: TestServer;
  browser: Browser;
  /** A fresh browser context (its own storage) with a page, at the studio's origin. */
  openPage(path?: string): Promise<{ context: BrowserContext; page: Page }>;
  onDisk(rel: string): string;
  close(): Promise<void>;
}

export async function startStudio(opts: TestServerOptions = {}): Promise<Studio> {
  if (!existsSync(join(PROJECT_ROOT, 'dist/client/index.html'))) {
    throw new Error('The client is not built: run `npx vite build` (or `npm test`, which builds first).');
  }
  const [server, browser] = await Promise.all([
    startTestServer({ shippedCorpus: true, withClient: true, ...opts }),
    launchChromium(),
  ]);
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async openPage(path = '/studio') {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(context);
      // Signed in as the test server's admin.
      await context.addCookies([
        { name: 'crucible_session', value: server.admin.cookie.split('=')[1]!, url: server.url },
      ]);
      const page = await context.newPage();
      page.setDefaultTimeout(budget(10_000));
      page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
      await page.goto(server.url + path);
      return { context, page };
    },
    onDisk: (rel) => readFileSync(join(server.scenariosDir, rel), 'utf8'),
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await browser.close();
      await server.close();
    },
  };
}

/** A valid scenario of our own (not one of the shipped files, which authors keep editing). */
export function ownScenario(id: string, title = `E2E scenario ${id}`): string {
  return validScenarioText(id).replace(/^title: .*$/m, `title: ${title}`);
}

/** The Monaco editor of the scenario page, once it has loaded its text. */
export async function waitForEditor(page: Page): Promise<Locator> {
  const editor = page.getByTestId('scenario-editor');
  await editor.locator('.view-line').first().waitFor();
  return editor;
}

/** The rendered editor line containing `text` (only lines in view are rendered). */
export function editorLine(scope: Page | Locator, text: string): Locator {
  return scope.locator('.view-line', { hasText: text }).first();
}

/**
 * Replaces the text of the line that contains `match` (after its indentation) with `replacement`, typing like a person:
 * click the line, select it, type. Closes any suggestion popup afterwards.
 */
export async function retypeLine(page: Page, match: string, replacement: string): Promise<void> {
  const editor = await waitForEditor(page);
  await scrollLineIntoView(page, editor, match);
  await editorLine(editor, match).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home'); // to the first non-blank character: indentation stays
  await page.keyboard.type(replacement, { delay: 5 });
  await page.keyboard.press('Escape');
  // The editor shows the new text before the test goes on (a loaded browser renders late); its
  // start, since a long line wraps onto several rendered lines.
  await editorLine(editor, replacement.slice(0, 30).trim()).waitFor();
}

/**
 * Monaco renders only the lines in view. If no rendered line holds `match` (a key sent to the
 * editor scrolled it), go to the top of the text and page down until one does.
 */
async function scrollLineIntoView(page: Page, editor: Locator, match: string): Promise<void> {
  if ((await editorLine(editor, match).count()) > 0) return;
  await editor.locator('.view-line').first().click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 50 && (await editorLine(editor, match).count()) === 0; i++) {
    const top = await editor.locator('.view-line').first().innerText();
    await page.keyboard.press('PageDown');
    await expect.poll(() => editor.locator('.view-line').first().innerText()).not.toBe(top);
  }
}

/** Text of the rendered (visible) lines of an editor, whitespace collapsed (wrapped lines join up again). */
export async function visibleText(scope: Locator): Promise<string> {
  return (await scope.locator('.view-lines').first().innerText()).replace(/\s+/g, ' ');
}

export async function expectSaved(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('save-state').innerText()).toMatch(/Saved|All changes saved/);
}
