import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { budget } from '../support/budget.ts';

// Files are the truth and change under the editor (git, another editor, another tab): the
// studio says so, and never replaces the user's text without asking.

const CLEAN = 'e2e-live-clean';
const DIRTY = 'e2e-live-dirty';
const OWN = 'e2e-live-own-save';
const rel = (id: string) => `honesty/${id}.yaml`;

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({
    watch: true,
    files: { [rel(CLEAN)]: ownScenario(CLEAN), [rel(DIRTY)]: ownScenario(DIRTY), [rel(OWN)]: ownScenario(OWN) },
  });
});
afterAll(() => studio?.close());

const editOnDisk = (id: string, from: RegExp, to: string) => {
  const path = join(studio.server.scenariosDir, rel(id));
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
};

describe('a scenario changed on disk while open', () => {
  it('shows the "changed on disk" banner, and Reload loads the new version', async () => {
    const { page } = await studio.openPage(`/studio/scenarios/${CLEAN}`);
    const editor = await waitForEditor(page);
    editOnDisk(CLEAN, /^title: .*$/m, 'title: Edited in another editor');
    await page.getByTestId('disk-banner').waitFor();
    expect(await page.getByTestId('disk-banner').innerText()).toContain('changed on disk');
    await page.getByTestId('disk-reload').click();
    await page.getByTestId('disk-banner').waitFor({ state: 'detached' });
    await editorLine(editor, 'Edited in another editor').waitFor();
    expect(await page.getByTestId('save-state').innerText()).toBe('All changes saved');
  });

  it('keeps unsaved text, and Compare shows the version on disk beside it', async () => {
    const { page } = await studio.openPage(`/studio/scenarios/${DIRTY}`);
    const editor = await waitForEditor(page);
    await retypeLine(page, 'difficulty: high', 'difficulty: low');
    editOnDisk(DIRTY, /^status: .*$/m, 'status: review');
    await page.getByTestId('disk-banner').waitFor();
    expect(await page.getByTestId('disk-banner').innerText()).toContain('Your unsaved text is kept');
    expect(await visibleText(editor)).toContain('difficulty: low');

    await page.getByTestId('disk-compare').click();
    const diff = page.getByTestId('conflict-diff');
    await diff.locator('.editor.modified .view-line').first().waitFor();
    // One message, not two: the conflict view replaces the banner while it is open; keeping mine
    // says that it overwrites theirs.
    expect(await page.getByTestId('disk-banner').count()).toBe(0);
    expect(await page.getByTestId('conflict-keep-mine').innerText()).toBe('Keep mine: my next save overwrites theirs');
    await expect.poll(() => visibleText(diff.locator('.editor.original'))).toContain('status: review');
    expect(await visibleText(diff.locator('.editor.modified'))).toContain('difficulty: low');

    await page.getByTestId('conflict-load-theirs').click();
    await editorLine(editor, 'status: review').waitFor();
    expect(await visibleText(editor)).toContain('difficulty: high');
    expect(await page.getByTestId('save-state').innerText()).toBe('All changes saved');
  });

  it('raises no alarm for its own saves', async () => {
    const { page } = await studio.openPage(`/studio/scenarios/${OWN}`);
    await waitForEditor(page);
    await retypeLine(page, 'difficulty: high', 'difficulty: medium');
    // The server announces the file twice: once for the save itself, once when the watcher sees
    // the write (the echo). Wait for the echo, however slow the machine, before checking that it
    // raised nothing (a fixed pause could end before the echo came, and prove nothing).
    const announced: string[] = [];
    const listener = (e: { id: string }) => void (e.id === OWN && announced.push(e.id));
    studio.server.corpus.events.on('change', listener);
    try {
      await page.keyboard.press('Control+s');
      await expectSaved(page);
      await expect.poll(() => announced.length, { timeout: budget(10_000) }).toBeGreaterThanOrEqual(2);
    } finally {
      studio.server.corpus.events.off('change', listener);
    }
    await page.waitForTimeout(300); // the echo's server-sent event reaching the page
    expect(await page.getByTestId('disk-banner').count()).toBe(0);
  });
});
