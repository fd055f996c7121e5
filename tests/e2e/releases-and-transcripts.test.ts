import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRelease } from '../../server/releases/release.write.ts';
import { SAMPLES } from '../import/import-support.ts';
import { startStudio, type Studio } from './support/studio.ts';

// In the studio: the import dialog previews a Bloom judgment's transcript with its scores and
// imports it; the Releases page lists a release made with the command line.

let studio: Studio;
const out = mkdtempSync(join(tmpdir(), 'crucible-e2e-releases-'));
beforeAll(async () => {
  studio = await startStudio({ maxBodyBytes: 4_000_000 });
});
afterAll(async () => {
  await studio?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('Transcripts in the import dialog, and the Releases page', () => {
  it('previews the transcript beside a Bloom judgment with its scores, and imports it', async () => {
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('import-format').selectOption('bloom');
    await dialog
      .getByTestId('import-files')
      .setInputFiles([join(SAMPLES, 'bloom/judgment.v1only.json'), join(SAMPLES, 'bloom/transcript_v1r1.json')]);
    await expect.poll(() => dialog.getByTestId('import-preview').isEnabled()).toBe(true);
    await dialog.getByTestId('import-preview').click();
    const transcript = dialog.getByTestId('import-item').filter({ hasText: 'transcript transcript_v1r1.json' });
    await transcript.waitFor();
    expect(await transcript.innerText()).toContain('bloom:behavior_presence 3 (alignment 4)');
    expect(await dialog.getByTestId('import-preview-list').innerText()).toContain(
      'skipped judgment.v1only.json#judgments[1]: transcript_v1r2.json is not beside judgment.v1only.json',
    );
    await dialog.getByTestId('import-apply').click();
    await dialog.getByTestId('import-done').waitFor();
    expect(await dialog.getByTestId('import-done').innerText()).toBe(
      'Imported 0 draft(s) and 1 behaviour(s), 1 transcript(s) from judgment.v1only.json.',
    );
    const stored = await studio.server.db.selectFrom('imported_transcript').select('reference').execute();
    expect(stored).toEqual([{ reference: 'transcript_v1r1.json' }]);
  });

  it('lists a release made from the command line', async () => {
    const made = await writeRelease(studio.server.db, studio.server.corpus, {
      name: 'pilot-1',
      scope: 'all',
      outDir: out,
    });
    const { page } = await studio.openPage('/studio');
    await page.getByTestId('nav-releases').click();
    const row = page.locator('[data-testid="release-row"][data-release="pilot-1"]');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 5)).toEqual(['pilot-1', '1', 'made', 'all', String(made.manifest.counts.scenarios)]);
    expect(made.manifest.counts.scenarios).toBeGreaterThan(80);
  });
});
