import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { openDatabase } from '../../server/db/database.ts';
import { containsWord } from '../../server/db/sql-contains.ts';
import { upsertScenarioRows } from '../../server/scenarios/scenario.repository.ts';
import { refOf } from '../../server/scenarios/scenario.paths.ts';
import { rowOfScenarioFile } from '../../server/scenarios/scenario.row.ts';
import { forgetListCounts } from '../../server/scenarios/scenario-list.cache.ts';
import { currentDocFacets } from '../../server/scenarios/search-doc-facets.ts';
import { findSearchDocs } from '../../server/scenarios/search-word.repository.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { createTestDatabase, testBackend } from '../support/test-database.ts';
import { expectWordIndexOfRows } from '../support/word-index.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The scenario list's text search goes through a word index (issue 20 point 7). It must find
// exactly what testing every row's search text with LIKE '%word%' found (the path before it), on
// text that trips word splitting, case folding and LIKE's wildcards, and stay exact after files
// are edited, renamed, deleted and added, and for rows indexed before the word index existed.

const TITLES = [
  'Refund REFUNDS nonrefundable',
  '50% off — 100_000 users',
  'a%b and a_b taken literally',
  'wild*card? [x] back\\slash',
  'Ünïcödé STRASSE straße İstanbul',
  'naïve café, decomposed: cafe\u0301',
  'emoji 🙂 and 東京タワー',
  "don't stop; v1.2.3 e-mail",
  'ΟΔΟΣ Σίσυφος',
  'ordinary title',
];

const QUERIES = [
  'refund',
  'REFUND',
  'fund',
  'nonrefund',
  'refunds nonrefundable',
  '50%',
  '%',
  '_',
  'a%b',
  'a_b',
  'a_',
  '100_000',
  '000',
  'wild*card?',
  '*',
  '?',
  '[x]',
  'back\\slash',
  '\\',
  'straße',
  'STRASSE',
  'ünï',
  'İstanbul',
  'istanbul',
  'café',
  'cafe\u0301',
  '\u0301',
  'é',
  '🙂',
  '東京',
  'タワ',
  "don't",
  "'",
  'v1.2',
  '1.2.3',
  'e-mail',
  'οδος',
  'ΟΔΟΣ',
  'σίσυφος',
  'deck investor',
  'pitch',
  'the user',
  'search-words-3',
  '-3',
  'e',
  'o',
  '—',
  ';',
  'zzzzqqq',
  '\u0002',
];

let server: TestServer;
const fileOf = (i: number) => join(server.scenariosDir, 'honesty', `search-words-${i}.yaml`);
const textOf = (i: number, title: string) =>
  validScenarioText(`search-words-${i}`).replace(/^title: .*$/m, `title: ${JSON.stringify(title)}`);

beforeAll(async () => {
  const files: Record<string, string> = {};
  TITLES.forEach((title, i) => (files[`honesty/search-words-${i}.yaml`] = textOf(i, title)));
  files['honesty/not-yaml.yaml'] = 'id: not-yaml\ntitle: "Refund: broken [file\n  - 50%';
  server = await startTestServer({ shippedCorpus: true, files });
});
afterAll(() => server.close());

/** What the list found before the word index: every row whose search text contains each word (LIKE). */
async function foundByLike(q: string): Promise<string[]> {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = await server.db
    .selectFrom('scenario')
    .select('rel_path')
    .$if(words.length > 0, (qb) => qb.where((eb) => eb.and(words.map((w) => containsWord(sql.ref('search_text'), w)))))
    .execute();
  return rows.map((r) => r.rel_path).sort();
}

async function foundByList(q: string): Promise<string[]> {
  const res = await server.fetch(`/api/scenarios?q=${encodeURIComponent(q)}&limit=1000`);
  expect(res.status, q).toBe(200);
  const body = (await res.json()) as ScenarioListResponse;
  expect(body.items.length, q).toBe(body.total);
  return body.items.map((i) => i.relPath).sort();
}

/** A search's total and facet counts are those of the rows whose text has each word (no facet filter: all of them). */
async function expectFacetsAsSql(q: string) {
  const words = q.toLowerCase().split(/\s+/);
  const res = await server.fetch(`/api/scenarios?q=${encodeURIComponent(q)}&limit=1`);
  const body = (await res.json()) as ScenarioListResponse;
  const rows = await server.db
    .selectFrom('scenario')
    .select(['category', 'behavior', 'status', 'difficulty'])
    .where((eb) => eb.and(words.map((w) => containsWord(sql.ref('search_text'), w))))
    .execute();
  expect(body.total, q).toBe(rows.length);
  for (const facet of ['category', 'behavior', 'status', 'difficulty'] as const) {
    const expected: Record<string, number> = {};
    for (const r of rows) expected[r[facet]] = (expected[r[facet]] ?? 0) + 1;
    expect(body.facets[facet], `${q}: ${facet}`).toEqual(expected);
  }
}

async function expectSameAsLike() {
  for (const q of QUERIES) expect(await foundByList(q), q).toEqual(await foundByLike(q));
}

/** The word index holds exactly the words of the rows' texts, under their document numbers. */
const expectIndexOfRows = () => expectWordIndexOfRows(server.db);

describe('GET /api/scenarios?q= through the word index', () => {
  it('finds what testing every row’s text with LIKE finds, for tricky words', async () => {
    expect(await foundByList('refund')).toContain('honesty/search-words-0.yaml');
    expect(await foundByList('a_b')).toEqual(['honesty/search-words-2.yaml']); // _ is no wildcard
    expect(await foundByList('50%')).toEqual(['honesty/search-words-1.yaml']); // nor is %
    // Words of letters and digits alone are answered by the index, without testing any text.
    for (const q of ['fund', 'straße', '東京', '000', 'cafe\u0301']) {
      const search = await findSearchDocs(server.db, [q.toLowerCase()]);
      expect(search?.check, q).toEqual([]);
      expect(search!.docs.length, q).toBe((await foundByLike(q)).length);
    }
    await expectIndexOfRows();
    await expectSameAsLike();
  });

  it('stays exact after files are edited, renamed, deleted and added', async () => {
    writeFileSync(fileOf(0), textOf(0, 'Chargeback only, nothing else'));
    await server.corpus.reindexFile(fileOf(0));
    expect(await foundByList('nonrefundable')).not.toContain('honesty/search-words-0.yaml');
    expect(await foundByList('chargeback')).toEqual(['honesty/search-words-0.yaml']);

    const renamed = join(server.scenariosDir, 'honesty', 'search-words-renamed.yaml');
    writeFileSync(
      fileOf(1),
      textOf(1, '50% off — 100_000 users, renamed').replace('search-words-1', 'search-words-renamed'),
    );
    renameSync(fileOf(1), renamed);
    await server.corpus.reindexFile(fileOf(1));
    await server.corpus.reindexFile(renamed);
    expect(await foundByList('renamed')).toEqual(['honesty/search-words-renamed.yaml']);

    rmSync(fileOf(4));
    await server.corpus.reindexFile(fileOf(4));
    expect(await foundByList('straße')).toEqual([]);

    writeFileSync(fileOf(20), textOf(20, 'A brand new Refund, ünï again'));
    await server.corpus.reindexFile(fileOf(20));
    expect(await foundByList('ünï')).toEqual(['honesty/search-words-20.yaml']);

    await expectIndexOfRows();
    await expectSameAsLike();
  });

  it('answers exactly for rows indexed before the word index, and writes their words at the next index pass', async () => {
    // As an index made before migration 2026-12-01T1300 is after it: no document numbers, no words.
    await server.db.deleteFrom('scenario_search_word').execute();
    await server.db.updateTable('scenario').set({ search_doc: null }).execute();
    forgetListCounts(server.db); // written behind the list's back
    await expectSameAsLike(); // every row's text is tested meanwhile

    await server.corpus.indexAll();
    await expectIndexOfRows();
    await expectSameAsLike();
  });

  it('counts a search’s matches per facet from the kept facets of its documents, read again after an edit', async () => {
    await server.fetch('/api/scenarios?limit=1'); // a list starts reading them
    await expect.poll(() => currentDocFacets(server.db) !== null, { timeout: budget(10_000) }).toBe(true);
    await expectFacetsAsSql('refund');
    await expectFacetsAsSql('the user');

    // The edit moves a match to another status and category folder's facets: what was kept is dropped.
    writeFileSync(fileOf(20), textOf(20, 'A brand new Refund').replace(/^status: .*$/m, 'status: retired'));
    await server.corpus.reindexFile(fileOf(20));
    expect(currentDocFacets(server.db)).toBeNull();
    await expectFacetsAsSql('brand'); // counted in SQL, and the facets are read again
    await expect.poll(() => currentDocFacets(server.db) !== null, { timeout: budget(10_000) }).toBe(true);
    await expectFacetsAsSql('new');
    await expectFacetsAsSql('refund brand');
  });
});

describe.runIf(testBackend === 'postgres')('two processes writing the word index at once', () => {
  // Each write reads the largest document number and the blocks it changes, then writes them back:
  // without the advisory lock both processes would number their new rows alike and one block's
  // write would undo the other's.
  it('never gives two rows one document number and loses no word', async () => {
    const other = openDatabase((await createTestDatabase(server.dir)).url);
    try {
      const rowsOf = (side: string, round: number) =>
        Array.from({ length: 4 }, (_, i) => {
          const id = `race-${side}-${round}-${i}`;
          const absPath = join(server.scenariosDir, 'honesty', `${id}.yaml`);
          const text = textOf(0, `Race ${side}${round}x${i} word${side}${round}`).replace('search-words-0', id);
          return rowOfScenarioFile(
            refOf(server.scenariosDir, absPath),
            text,
            { mtimeMs: 1, size: text.length },
            server.corpus.taxonomy,
          );
        });
      for (let round = 0; round < 8; round++) {
        await Promise.all([
          upsertScenarioRows(server.db, rowsOf('a', round)),
          upsertScenarioRows(other, rowsOf('b', round)),
        ]);
      }
      await expectIndexOfRows();
      expect(await foundByList('worda3')).toHaveLength(4);
      expect(await foundByList('wordb7')).toHaveLength(4);
    } finally {
      await other.destroy();
    }
  });
});
