import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  editorLine,
  ownScenario,
  retypeLine,
  startStudio,
  visibleText,
  waitForEditor,
  type Studio,
} from './support/studio.ts';

// Unsaved text is never lost by a click elsewhere, the back button or a reload without a warning.

const ids = ['e2e-unsaved-link', 'e2e-unsaved-back', 'e2e-unsaved-draft', 'e2e-unsaved-unload'];
let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ files: Object.fromEntries(ids.map((id) => [`honesty/${id}.yaml`, ownScenario(id)])) });
});
afterAll(() => studio?.close());

describe('unsaved changes', () => {
  it('asks before an in-app link leaves them behind; "Stay" keeps them, "Discard" leaves', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-unsaved-link');
    const editor = await waitForEditor(page);
    await retypeLine(page, 'difficulty: high', 'difficulty: low');
    await page.getByRole('link', { name: 'Scenarios' }).first().click();
    const dialog = page.getByTestId('leave-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('leave-stay').click();
    await dialog.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/studio/scenarios/e2e-unsaved-link');
    expect(await visibleText(editor)).toContain('difficulty: low');

    await page.getByTestId('brand-link').click();
    await dialog.getByTestId('leave-discard').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/studio');
    expect(studio.onDisk('honesty/e2e-unsaved-link.yaml')).toContain('difficulty: high');
    // Discarding on purpose leaves no draft behind to nag about.
    await page.goto(`${studio.server.url}/studio/scenarios/e2e-unsaved-link`);
    await waitForEditor(page);
    expect(await page.getByTestId('draft-banner').count()).toBe(0);
  });

  it('asks before the browser back button leaves them behind', async () => {
    const { page } = await studio.openPage('/studio?q=e2e-unsaved-back');
    await page.locator('[data-testid="scenario-row"][data-id="e2e-unsaved-back"]').click();
    const editor = await waitForEditor(page);
    await retypeLine(page, 'difficulty: high', 'difficulty: low');
    await page.goBack();
    const dialog = page.getByTestId('leave-dialog');
    await dialog.waitFor();
    expect(new URL(page.url()).pathname).toBe('/studio/scenarios/e2e-unsaved-back');
    await page.keyboard.press('Escape'); // Esc means stay
    await dialog.waitFor({ state: 'detached' });
    expect(await visibleText(editor)).toContain('difficulty: low');
  });

  it('keeps a draft through a reload and offers to restore it', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-unsaved-draft');
    await waitForEditor(page);
    await retypeLine(page, 'difficulty: high', 'difficulty: low');
    page.on('dialog', (d) => void d.accept()); // the beforeunload prompt: leave anyway
    await page.reload();
    const editor = await waitForEditor(page);
    await page.getByTestId('draft-banner').waitFor();
    expect(await visibleText(editor)).toContain('difficulty: high');
    await page.getByTestId('draft-restore').click();
    await editorLine(editor, 'difficulty: low').waitFor();
    expect(await page.getByTestId('save-state').innerText()).toContain('Unsaved');
  });

  it('prompts before the tab is closed or reloaded', async () => {
    const { page } = await studio.openPage('/studio/scenarios/e2e-unsaved-unload');
    await waitForEditor(page);
    await retypeLine(page, 'difficulty: high', 'difficulty: low');
    const prompt = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.type());
        void d.dismiss();
      }),
    );
    await page.close({ runBeforeUnload: true });
    expect(await prompt).toBe('beforeunload');
  });
});
