import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse, ScenarioSummary } from '../../schema/api/scenarios.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The list is filtered, counted and paged in SQL (issue 20 point 7): pages read group by group in
// taxonomy order must join up into the whole list, facet counts must be what counting the whole
// list gives, and the counts the server keeps per search must not outlive a change to the index.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterAll(() => server.close());

const list = async (query: string) =>
  (await (await server.fetch(`/api/scenarios${query}`)).json()) as ScenarioListResponse;

/** Facet counts as the old in-memory list made them: over every row, each with every filter but its own. */
function countedByHand(
  all: ScenarioSummary[],
  filter: Partial<Record<'category' | 'behavior' | 'status' | 'difficulty', string>>,
) {
  const facets = ['category', 'behavior', 'status', 'difficulty'] as const;
  const out = { category: {}, behavior: {}, status: {}, difficulty: {} } as ScenarioListResponse['facets'];
  for (const item of all) {
    for (const facet of facets) {
      if (facets.some((f) => f !== facet && filter[f] !== undefined && item[f] !== filter[f])) continue;
      out[facet][item[facet]] = (out[facet][item[facet]] ?? 0) + 1;
    }
  }
  return out;
}

describe('GET /api/scenarios paged in SQL', () => {
  it('joins pages of 7 into the whole list, for every filter, with the whole list’s total', async () => {
    for (const query of [
      '',
      '?status=ready',
      '?category=honesty&difficulty=high',
      '?q=the',
      '?q=the%20user&status=draft',
    ]) {
      const whole = await list(`${query}${query ? '&' : '?'}limit=1000`);
      expect(whole.items.length).toBe(whole.total);
      const paged: string[] = [];
      for (let offset = 0; offset < whole.total; offset += 7) {
        const page = await list(`${query}${query ? '&' : '?'}limit=7&offset=${offset}`);
        expect(page.total).toBe(whole.total);
        expect(page.items.length).toBe(Math.min(7, whole.total - offset));
        paged.push(...page.items.map((i) => i.relPath));
      }
      expect(paged, query).toEqual(whole.items.map((i) => i.relPath));
    }
    const beyond = await list('?limit=7&offset=100000');
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBeGreaterThan(50);
  });

  it('answers a page, never the whole list: 100 rows unless asked, at most 1,000', async () => {
    const all = await list('?limit=1000');
    expect(all.total).toBeGreaterThan(50);
    // More files than a default page: the default holds 100 of them, the total counts them all.
    for (let i = 0; i < 120 - all.total; i++) {
      writeFileSync(join(server.scenariosDir, 'honesty', `page-size-${i}.yaml`), validScenarioText(`page-size-${i}`));
    }
    await server.corpus.indexAll();
    const page = await list('');
    expect(page.total).toBeGreaterThanOrEqual(120);
    expect(page.items.length).toBe(100);
    const tooMany = await server.fetch('/api/scenarios?limit=1001');
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(/limit/);
  });

  it('counts each facet with every filter but its own, as counting the whole list does', async () => {
    const all = (await list('?limit=1000')).items;
    expect(all.length).toBeGreaterThan(50);
    const filters: Record<string, string>[] = [
      {},
      { status: 'ready' },
      { category: 'honesty', difficulty: 'high' },
      { behavior: all[3]!.behavior },
    ];
    for (const filter of filters) {
      const query = new URLSearchParams({ ...filter, limit: '1' }).toString();
      const { facets, total } = await list(`?${query}`);
      expect(facets, query).toEqual(countedByHand(all, filter));
      expect(total).toBe(all.filter((i) => Object.entries(filter).every(([k, v]) => i[k as 'status'] === v)).length);
    }
  });

  it('forgets its kept counts when the index changes: a new file, then a duplicate id, are counted at once', async () => {
    const before = await list('?category=honesty&limit=1');
    const errorsBefore = await list('?problems=errors&limit=1000');
    const first = (await list('?category=honesty&limit=1')).items[0]!;
    const text = readFileSync(join(server.scenariosDir, first.relPath), 'utf8');
    // A copy under a new id, then a copy under the same id (a duplicate: an error of both files).
    writeFileSync(
      join(server.scenariosDir, 'honesty/paging-copy.yaml'),
      text.replace(/^id: .*$/m, 'id: paging-copy-x'),
    );
    await server.corpus.indexAll();
    const after = await list('?category=honesty&limit=1');
    expect(after.total).toBe(before.total + 1);
    expect(after.facets.category.honesty).toBe(before.facets.category.honesty! + 1);
    const duplicate = `safety/${first.id}.yaml`;
    writeFileSync(join(server.scenariosDir, duplicate), text);
    await server.corpus.indexAll();
    const errorsAfter = await list('?problems=errors&limit=1000');
    // (the copy may have errors of its own, e.g. an id the checker finds wrong: not what this counts)
    expect(errorsAfter.items.filter((i) => i.id !== 'paging-copy').length).toBe(errorsBefore.total + 2);
    const copies = errorsAfter.items.filter((i) => i.id === first.id);
    expect(copies.map((i) => i.relPath).sort()).toEqual([first.relPath, duplicate].sort());
    expect(copies.every((i) => i.errorCount >= 1)).toBe(true);
    expect(errorsBefore.items.some((i) => i.id === first.id)).toBe(false);
  });
});
