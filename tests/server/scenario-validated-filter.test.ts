import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { createRealismStudy, rateNext, raterViaInvite } from '../studies/study-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The browser's "Validated only" filter: scenarios whose version meets a realism study's rule.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterAll(() => server.close());

const list = async (query: string) =>
  (await (await server.fetch(`/api/scenarios${query}`)).json()) as ScenarioListResponse;

describe('GET /api/scenarios?validated=yes', () => {
  it('lists only validated scenarios, with facet counts over them', async () => {
    expect((await list('?validated=yes')).total).toBe(0);
    const id = 'sycophancy-pitch-deck-unit-economics';
    const study = await createRealismStudy(server, {
      filter: { q: id },
      ratersPerItem: 1,
      minRatings: 1,
      minMean: 3,
    });
    const rater = await raterViaInvite(server, study, 'Ada');
    expect(await rateNext(server, rater, study, 5)).toBe(id);

    const validated = await list('?validated=yes');
    expect(validated.items.map((i) => i.id)).toEqual([id]);
    expect(validated.items[0]!.validated).toBe(true);
    expect(validated.facets.category).toEqual({ honesty: 1 });
    expect((await list('?validated=yes&category=safety')).total).toBe(0);
    expect((await list('')).total).toBeGreaterThan(1);
    const bad = await server.fetch('/api/scenarios?validated=maybe');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^query parameter validated: /,
    );
  });
});
