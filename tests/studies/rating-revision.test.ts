import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviousRatingResponse, StudyResults } from '../../schema/api/studies.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer, type TestSession } from '../support/test-server.ts';
import { createRealismStudy, rateNext, raterViaInvite } from './study-fixtures.ts';

// Going back: a rater opens their own earlier ratings, newest first, and may change one while it
// still shows what they rated; the replaced answer is kept. Admins see names and time on task.

const files = Object.fromEntries(
  ['a', 'b', 'c'].map((x) => [`honesty/revisit-${x}.yaml`, validScenarioText(`revisit-${x}`)]),
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ files });
});
afterAll(() => server.close());

const previous = (rater: TestSession, studyId: string, before?: string) =>
  rater.fetch(`/api/rate/studies/${studyId}/ratings/previous${before ? `?before=${before}` : ''}`);
const revise = (rater: TestSession, studyId: string, ratingId: string, body: Record<string, unknown>) =>
  rater.fetch(`/api/rate/studies/${studyId}/ratings/${ratingId}`, { method: 'PUT', body: JSON.stringify(body) });
const ratingOf = (id: string) =>
  server.db.selectFrom('realism_rating').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('going back to an earlier rating', () => {
  let studyId: string;
  let ada: TestSession;
  const rated: string[] = [];

  beforeAll(async () => {
    studyId = await createRealismStudy(server, { name: 'Revisit', filter: { behavior: 'sycophancy' } });
    ada = await raterViaInvite(server, studyId, 'Ada Lovelace');
    for (const realism of [2, 3, 4]) {
      const scenarioId = await rateNext(server, ada, studyId, realism, { comment: `gave ${realism}` });
      rated.push(scenarioId);
    }
  });

  it('steps back through the rater’s own ratings, newest first, with what they answered and saw', async () => {
    const latest = (await (await previous(ada, studyId)).json()) as PreviousRatingResponse;
    expect(latest).toMatchObject({ realism: 4, comment: 'gave 4', position: 3, hasEarlier: true });
    expect(latest.scenario?.system).toBeTruthy();
    const middle = (await (await previous(ada, studyId, latest.ratingId)).json()) as PreviousRatingResponse;
    expect(middle).toMatchObject({ realism: 3, position: 2, hasEarlier: true });
    const first = (await (await previous(ada, studyId, middle.ratingId)).json()) as PreviousRatingResponse;
    expect(first).toMatchObject({ realism: 2, position: 1, hasEarlier: false });
    const none = await previous(ada, studyId, first.ratingId);
    expect(none.status).toBe(404);
  });

  it('changes a rating, keeps the replaced answer, and counts the rating once', async () => {
    const latest = (await (await previous(ada, studyId)).json()) as PreviousRatingResponse;
    const res = await revise(ada, studyId, latest.ratingId, {
      realism: 1,
      flags: [{ kind: 'stakes' }],
      comment: 'oops',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ratingId: latest.ratingId, changed: true });
    expect(await ratingOf(latest.ratingId)).toMatchObject({
      realism: 1,
      comment: 'oops',
      flags: '[{"kind":"stakes"}]',
    });
    const kept = await server.db
      .selectFrom('realism_rating_revision')
      .selectAll()
      .where('rating_id', '=', latest.ratingId)
      .execute();
    expect(kept).toMatchObject([{ realism: 4, comment: 'gave 4', flags: '[]', rated_at: latest.ratedAt }]);
    // The same answer again changes nothing and keeps no second copy.
    const again = await revise(ada, studyId, latest.ratingId, {
      realism: 1,
      flags: [{ kind: 'stakes' }],
      comment: 'oops',
    });
    expect(await again.json()).toEqual({ ratingId: latest.ratingId, changed: false });
    const results = (await (await server.fetch(`/api/studies/${studyId}/results`)).json()) as StudyResults;
    expect(results.study.ratings).toBe(3);
    expect(results.scenarios.find((s) => s.scenarioId === rated[2])?.mean).toBe(1);
  });

  it('refuses bad input, other people’s ratings and closed studies, and changes nothing', async () => {
    const latest = (await (await previous(ada, studyId)).json()) as PreviousRatingResponse;
    const before = await ratingOf(latest.ratingId);
    const bad = await revise(ada, studyId, latest.ratingId, { realism: 9 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('realism is 1 to 5');

    const eve = await raterViaInvite(server, studyId, 'Eve');
    expect((await revise(eve, studyId, latest.ratingId, { realism: 5 })).status).toBe(404);
    expect((await previous(eve, studyId)).status).toBe(404);
    expect((await previous(eve, studyId, latest.ratingId)).status).toBe(404);

    await server.db.updateTable('study').set({ status: 'closed' }).where('id', '=', studyId).execute();
    const closed = await revise(ada, studyId, latest.ratingId, { realism: 5 });
    expect(closed.status).toBe(409);
    await server.db.updateTable('study').set({ status: 'open' }).where('id', '=', studyId).execute();
    expect(await ratingOf(latest.ratingId)).toEqual(before);
  });

  it('lets a rating of a scenario changed since stand as given', async () => {
    const latest = (await (await previous(ada, studyId)).json()) as PreviousRatingResponse;
    const scenarioId = (await ratingOf(latest.ratingId)).scenario_id;
    const path = join(server.scenariosDir, `honesty/${scenarioId}.yaml`);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(/^(\s+system: .*)$/m, '$1 Reply in French.'));
    await server.corpus.reindexFile(path);
    const reopened = (await (await previous(ada, studyId)).json()) as PreviousRatingResponse;
    expect(reopened.scenario).toBeNull();
    const res = await revise(ada, studyId, latest.ratingId, { realism: 5 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/edited since you rated/);
    writeFileSync(path, text);
    await server.corpus.reindexFile(path);
  });

  it('shows admins the raters’ names and median time on task; authors see pseudonyms only', async () => {
    const asAdmin = (await (await server.fetch(`/api/studies/${studyId}/results`)).json()) as StudyResults;
    const row = asAdmin.raters.find((r) => r.pseudonym === ada.user.pseudonym)!;
    expect(row.name).toBe('Ada Lovelace');
    const stored = await server.db
      .selectFrom('realism_rating')
      .select(['leased_at', 'created_at'])
      .where('rater_id', '=', ada.user.id)
      .execute();
    const seconds = stored
      .map((r) => (Date.parse(r.created_at) - Date.parse(r.leased_at)) / 1000)
      .sort((a, b) => a - b);
    expect(row.medianSecondsOnTask).toBeCloseTo(seconds[1]!, 6);

    const author = await server.signIn('author');
    const asAuthor = (await (await author.fetch(`/api/studies/${studyId}/results`)).json()) as StudyResults;
    expect(asAuthor.raters.length).toBeGreaterThan(0);
    expect(asAuthor.raters.every((r) => r.name === null)).toBe(true);
  });
});
