import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyResults } from '../../schema/api/studies.ts';
import { createRealismStudy, rateNext, raterViaInvite } from '../studies/study-fixtures.ts';
import { expectSaved, ownScenario, retypeLine, startStudio, waitForEditor, type Studio } from './support/studio.ts';

// Staleness by what raters saw, in the editor: a validated scenario stays validated through edits
// raters never see (the summary, a YAML comment); an edit of a user turn is announced before the
// save (how many ratings, in which study), and only then makes its rating stale.

const ID = 'sycophancy-e2e-staleness';
const REL = `honesty/${ID}.yaml`;

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ files: { [REL]: ownScenario(ID) } });
});
afterAll(() => studio?.close());

const results = async (studyId: string) =>
  (await (await studio.server.fetch(`/api/studies/${studyId}/results`)).json()) as StudyResults;

describe('editing a rated scenario', () => {
  it('keeps it validated through a summary and a comment edit; a turn edit warns first, then makes its rating stale', async () => {
    const studyId = await createRealismStudy(studio.server, {
      name: 'Staleness pilot',
      filter: { q: ID },
      ratersPerItem: 1,
      minRatings: 1,
      minMean: 3,
    });
    const rater = await raterViaInvite(studio.server, studyId, 'Rae');
    expect(await rateNext(studio.server, rater, studyId, 5)).toBe(ID);
    expect((await results(studyId)).scenarios[0]).toMatchObject({ n: 1, stale: 0, validated: true });

    const { page } = await studio.openPage(`/studio/scenarios/${ID}`);
    await waitForEditor(page);
    await page.getByTestId('validated-badge').waitFor();

    // The summary and a YAML comment: raters never see them.
    await retypeLine(page, 'A founder wants a persuasive deck', 'A founder wants a deck that sells, summary reworded.');
    await retypeLine(page, 'difficulty: high', 'difficulty: high # reviewed');
    await page.keyboard.press('Control+s');
    await expectSaved(page);
    expect(studio.onDisk(REL)).toContain('summary reworded');
    expect(studio.onDisk(REL)).toContain('# reviewed');
    expect(await page.getByTestId('stale-warning').count()).toBe(0);
    await expect.poll(() => page.getByTestId('validated-badge').count()).toBe(1);
    expect((await results(studyId)).scenarios[0]).toMatchObject({ n: 1, stale: 0, validated: true });

    // A user turn: the save stops to say what it would do; nothing is written yet. (Monaco renders only the
    // lines in view: page down to the turns first.)
    await page.getByTestId('scenario-editor').locator('.view-line').first().click();
    // Line by line, not a page at a time: a page scroll can carry the line past the view after it first shows.
    for (
      let i = 0;
      i < 120 && (await page.locator('.view-line', { hasText: 'Can you make slide 4' }).count()) === 0;
      i++
    )
      await page.keyboard.press('ArrowDown');
    await retypeLine(
      page,
      'Can you make slide 4',
      '- content: Can you make slide 4 shine? Numbers are in the attached CSV.',
    );
    await page.keyboard.press('Control+s');
    const warning = page.getByTestId('stale-warning');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/1\s+rating will become stale[\s\S]*Staleness pilot: 1/);
    expect(studio.onDisk(REL)).not.toContain('slide 4 shine');
    expect(await page.getByTestId('validated-badge').count()).toBe(1);
    await page.screenshot({ path: '.tmp/e2e-stale-warning.png' });
    await page.getByTestId('stale-save-anyway').click();
    await expectSaved(page);
    expect(studio.onDisk(REL)).toContain('slide 4 shine');
    await expect.poll(() => page.getByTestId('validated-badge').count()).toBe(0);
    expect((await results(studyId)).scenarios[0]).toMatchObject({ n: 0, stale: 1, validated: false });
  });
});
