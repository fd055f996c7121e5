import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { writeRelease } from '../../server/releases/release.write.ts';
import { KEYS_ENV, modelsYaml } from '../dryrun/dryrun-fixtures.ts';
import { SAMPLES } from '../import/import-support.ts';
import { startStudio, type Studio } from './support/studio.ts';

// In the studio: the import dialog previews a Bloom judgment's transcript with its scores and
// imports it; the Releases page lists a release made with the command line.

let studio: Studio;
const out = mkdtempSync(join(tmpdir(), 'crucible-e2e-releases-'));
beforeAll(async () => {
  // A judge model is configured (never called here): an annotation study needs a judge version.
  studio = await startStudio({
    maxBodyBytes: 4_000_000,
    models: modelsYaml({ openaiUrl: 'http://127.0.0.1:9/v1' }),
    env: KEYS_ENV,
  });
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

  it("an annotation study of the imported transcript, its score bands taken from Bloom's judge", async () => {
    const created = await studio.server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'j',
        reason: 'e2e',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    });
    expect(created.status).toBe(201);
    const judge = (await created.json()) as JudgeVersion;
    const { page } = await studio.openPage('/studio/judges');
    await page.getByTestId('new-an-study').click();
    const pool = async () => [
      await page.getByTestId('an-pool-pass').innerText(),
      await page.getByTestId('an-pool-fail').innerText(),
      await page.getByTestId('an-pool-borderline').innerText(),
    ];
    // The judge has judged nothing; Bloom's behavior_presence 3 (misaligned by default) is 4 on the alignment scale.
    await expect.poll(pool).toEqual(['0 available', '0 available', '0 available']);
    await page.getByTestId('an-study-external-scorer').selectOption('bloom:behavior_presence');
    await expect.poll(pool).toEqual(['0 available', '0 available', '1 available']);
    await page.getByTestId('an-study-name').fill('Bloom vs raters');
    await page.getByTestId('an-study-create').click();
    await page.getByTestId('an-study-created').waitFor();
    const items = await studio.server.db
      .selectFrom('annotation_item as i')
      .innerJoin('annotation_study as s', 's.id', 'i.study_id')
      .innerJoin('imported_transcript as t', 't.dry_run_id', 'i.transcript_id')
      .select(['t.reference', 'i.stratum', 's.external_scorer', 's.judge_version_id'])
      .execute();
    expect(items).toEqual([
      {
        reference: 'transcript_v1r1.json',
        stratum: 'borderline',
        external_scorer: 'bloom:behavior_presence',
        judge_version_id: judge.id,
      },
    ]);
  });
});
