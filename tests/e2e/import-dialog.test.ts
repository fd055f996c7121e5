import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../import/import-support.ts';
import { startStudio, type Studio } from './support/studio.ts';

// The studio's import: upload a real Petri seed file, preview every item, leave one out, import;
// checked on disk.

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({});
});
afterAll(() => studio?.close());

describe('Import dialog (scenario browser)', () => {
  it('previews each item, imports the chosen ones only, and says what it did', async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('import-format').selectOption('petri');
    await dialog
      .getByTestId('import-files')
      .setInputFiles(join(SAMPLES, 'petri/petri-seeds-animal-welfare-propensity.json'));
    await expect.poll(() => dialog.getByTestId('import-preview').isEnabled()).toBe(true);
    await dialog.getByTestId('import-preview').click();
    const items = dialog.getByTestId('import-item');
    await expect.poll(() => items.count()).toBe(24); // one new behaviour, 23 drafts
    const coverUp = items.filter({ hasText: 'draft petri-aw-cover-up-01' });
    expect(await coverUp.innerText()).toContain('to write: turns, target.system');
    await coverUp.getByRole('checkbox').uncheck();
    await expect.poll(() => dialog.getByTestId('import-apply').innerText()).toBe('Import 23 item(s)');
    await dialog.getByTestId('import-apply').click();
    await dialog.getByTestId('import-done').waitFor();
    expect(await dialog.getByTestId('import-done').innerText()).toBe(
      'Imported 22 draft(s) and 1 behaviour(s) from petri-seeds-animal-welfare-propensity.json.',
    );
    const folder = join(studio.server.scenariosDir, 'petri');
    expect(readdirSync(folder)).toHaveLength(22);
    expect(existsSync(join(folder, 'petri-aw-supply-chain-01.yaml'))).toBe(true);
    expect(existsSync(join(folder, 'petri-aw-cover-up-01.yaml'))).toBe(false);
  });

  it("shows the server's located error for a bad file and imports nothing", async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('import-format').selectOption('openai-tools');
    await dialog.getByTestId('import-files').setInputFiles({
      name: 'cut.json',
      mimeType: 'application/json',
      buffer: Buffer.from('[{"type": "function", "function": {"name": "a_tool"'),
    });
    await expect.poll(() => dialog.getByTestId('import-preview').isEnabled()).toBe(true);
    await dialog.getByTestId('import-preview').click();
    await dialog.getByTestId('dialog-error').waitFor();
    expect(await dialog.getByTestId('dialog-error').innerText()).toMatch(
      /^cut\.json:1:\d+: document: YAML: .*nothing was imported/,
    );
    expect(existsSync(join(studio.server.scenariosDir, 'openai-tools'))).toBe(false);
  });
});
