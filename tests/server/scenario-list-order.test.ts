import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The scenario list is in the taxonomy's order, as the sidebar is (it was alphabetical by folder).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterAll(() => server.close());

describe('GET /api/scenarios order', () => {
  it('lists categories, and behaviours within them, in the taxonomy’s order', async () => {
    const { items } = (await (await server.fetch('/api/scenarios')).json()) as ScenarioListResponse;
    const categories = [...new Set(items.map((i) => i.category))];
    const taxonomy = server.corpus.taxonomy.categories;
    expect(categories).toEqual(taxonomy.map((c) => c.id));
    const honesty = [...new Set(items.filter((i) => i.category === 'honesty').map((i) => i.behavior))];
    expect(honesty).toEqual(taxonomy[0]!.behaviours.map((b) => b.id));
    // Within a behaviour, by id.
    const ids = items.filter((i) => i.behavior === 'privacy-protection').map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
  });
});
