import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  editorLine,
  expectSaved,
  ownScenario,
  retypeLine,
  startStudio,
  visibleText,
  waitForEditor,
  type Studio,
} from './support/studio.ts';

// The "Done means": filter, open, break and fix a scenario, save, reload, find the change
// on disk; and a second author saving an older version is shown both versions, losing nothing.

const ID = 'e2e-editing-pitch-deck';
const REL = `honesty/${ID}.yaml`;
const CONFLICT_ID = 'e2e-editing-conflict';
const CONFLICT_REL = `honesty/${CONFLICT_ID}.yaml`;

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ files: { [REL]: ownScenario(ID), [CONFLICT_REL]: ownScenario(CONFLICT_ID) } });
});
afterAll(() => studio?.close());

describe('the scenario editor', () => {
  it('filters to a behaviour, marks a schema error, saves the fix with Ctrl+S, and the change is on disk after a reload', async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('category-honesty').click();
    await page.getByTestId('behaviour-sycophancy').click();
    await expect.poll(() => page.url()).toContain('behavior=sycophancy');
    const rows = page.getByTestId('scenario-row');
    await expect
      .poll(async () => (await rows.allInnerTexts()).every((t) => t.includes('Sycophancy resistance')))
      .toBe(true);
    await page.locator(`[data-testid="scenario-row"][data-id="${ID}"]`).click();
    await expect.poll(() => page.url()).toContain(`/studio/scenarios/${ID}`);

    // A schema error: Monaco marks it and the problems panel lists the server's diagnostic.
    await retypeLine(page, 'difficulty: high', 'difficulty: extreme');
    const problem = page.getByTestId('problem').filter({ hasText: 'difficulty' });
    await problem.first().waitFor();
    await page.getByTestId('scenario-editor').locator('.squiggly-error').first().waitFor();
    expect(await page.getByTestId('save-state').innerText()).toContain('Unsaved');

    // Saving it is refused: the server's issues are shown and the file is untouched.
    const before = studio.onDisk(REL);
    await page.keyboard.press('Control+s');
    await page.getByTestId('save-error').waitFor();
    expect(await page.getByTestId('save-error').innerText()).toContain('nothing was saved');
    expect(studio.onDisk(REL)).toBe(before);

    // Clicking the problem puts the cursor on its line.
    await page.keyboard.press('Control+End');
    await problem.first().click();
    const editor = page.getByTestId('scenario-editor');
    await expect
      .poll(async () => {
        const line = await editorLine(editor, 'difficulty: extreme').boundingBox();
        const cursorLine = await editor.locator('.current-line').first().boundingBox();
        return line && cursorLine ? Math.abs(line.y - cursorLine.y) : Infinity;
      })
      .toBeLessThan(3);

    await retypeLine(page, 'difficulty: extreme', 'difficulty: medium');
    await expect.poll(() => page.getByTestId('problems-error-count').innerText()).toBe('0 errors');
    await page.keyboard.press('Control+s');
    await expectSaved(page);
    expect(studio.onDisk(REL)).toContain('difficulty: medium');

    await page.reload();
    await waitForEditor(page);
    await editorLine(editor, 'difficulty:').waitFor();
    expect(await visibleText(editor)).toContain('difficulty: medium');
    expect(await page.getByTestId('save-state').innerText()).toBe('All changes saved');
    expect(studio.onDisk(REL)).toContain('difficulty: medium');
  });

  it('shows a second author who saves an older version both versions, and loses nothing', async () => {
    const a = await studio.openPage(`/studio/scenarios/${CONFLICT_ID}`);
    const b = await studio.openPage(`/studio/scenarios/${CONFLICT_ID}`);
    await waitForEditor(a.page);
    await waitForEditor(b.page);

    await retypeLine(a.page, 'difficulty: high', 'difficulty: low');
    await a.page.keyboard.press('Control+s');
    await expectSaved(a.page);
    expect(studio.onDisk(CONFLICT_REL)).toContain('difficulty: low');

    // B still edits the version it loaded.
    await retypeLine(b.page, `title: E2E scenario ${CONFLICT_ID}`, 'title: Second author title');
    await b.page.getByTestId('save-button').click();
    const conflict = b.page.getByTestId('conflict-view');
    await conflict.waitFor();
    const diff = b.page.getByTestId('conflict-diff');
    await diff.locator('.editor.original .view-line').first().waitFor();
    await expect.poll(() => visibleText(diff.locator('.editor.original'))).toContain('difficulty: low');
    expect(await visibleText(diff.locator('.editor.original'))).toContain(`title: E2E scenario ${CONFLICT_ID}`);
    expect(await visibleText(diff.locator('.editor.modified'))).toContain('title: Second author title');
    expect(await visibleText(diff.locator('.editor.modified'))).toContain('difficulty: high');

    // Nothing was overwritten on disk, and B's text is still in B's editor.
    expect(studio.onDisk(CONFLICT_REL)).toContain('difficulty: low');
    expect(studio.onDisk(CONFLICT_REL)).not.toContain('Second author title');
    await b.page.getByTestId('conflict-keep-mine').click();
    await conflict.waitFor({ state: 'detached' });
    const editorB = await waitForEditor(b.page);
    expect(await visibleText(editorB)).toContain('title: Second author title');
    expect(await b.page.getByTestId('save-state').innerText()).toContain('Unsaved');

    // Having seen theirs, B may now save deliberately on top of it.
    await b.page.keyboard.press('Control+s');
    await expectSaved(b.page);
    expect(studio.onDisk(CONFLICT_REL)).toContain('title: Second author title');
  });
});
