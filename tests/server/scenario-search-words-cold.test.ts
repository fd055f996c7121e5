import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { containsWord } from '../../server/db/sql-contains.ts';
import { BLOCK_SIZE } from '../../server/scenarios/search-words.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectWordIndexOfRows } from '../support/word-index.ts';

// A cold index on worker threads (issue 20 point 7): a batch of files the index does not hold has
// its words split on the worker that reads it, and its rows take a fresh block of the word index
// whose postings are stored as the worker made them. Over several batches (so several blocks), the
// index must hold exactly what splitting every row's text gives, and stay exact through the
// general path afterwards (an edit, a delete, a new file, a forced re-index of known rows).

// Three batches of at most 1,000 files: two full blocks and part of a third. Each test indexes
// them (a few seconds on a quiet machine), so each has a budget that grows with the load.
const FILES = 2_100;
let server: TestServer;
const idOf = (i: number) => `cold-words-${i}`;
const fileOf = (i: number) => join(server.scenariosDir, 'honesty', `${idOf(i)}.yaml`);
/** Every 97th file has "boundaryword", so it lies in every block; each file has a word of its own. */
const textOf = (i: number, extra = '') =>
  validScenarioText(idOf(i)).replace(
    /^title: .*$/m,
    `title: ${JSON.stringify(`Cold ${i} own${i}x ${i % 97 === 0 ? 'BoundaryWord' : ''} ${extra}`)}`,
  );

beforeAll(async () => {
  server = await startTestServer();
  mkdirSync(join(server.scenariosDir, 'honesty'), { recursive: true });
  for (let i = 0; i < FILES; i++) writeFileSync(fileOf(i), textOf(i));
});
afterAll(() => server.close());

async function foundByLike(q: string): Promise<string[]> {
  const rows = await server.db
    .selectFrom('scenario')
    .select('rel_path')
    .where(containsWord(sql.ref('search_text'), q.toLowerCase()))
    .execute();
  return rows.map((r) => r.rel_path).sort();
}

/** Every match of the list's search, a page of 1,000 (its largest) at a time. */
async function foundByList(q: string): Promise<string[]> {
  const found: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await server.fetch(`/api/scenarios?q=${encodeURIComponent(q)}&limit=1000&offset=${offset}`);
    expect(res.status, q).toBe(200);
    const body = (await res.json()) as ScenarioListResponse;
    found.push(...body.items.map((i) => i.relPath));
    if (offset + 1000 >= body.total) {
      expect(found.length, q).toBe(body.total);
      return found.sort();
    }
  }
}

const QUERIES = ['boundaryword', 'boundary', 'own1000x', 'own999x', 'own10', 'fresh', 'zzzzqqq'];

async function expectSameAsLike() {
  for (const q of QUERIES) expect(await foundByList(q), q).toEqual(await foundByLike(q));
  // A word of every file: its count (its pages are the list's, whatever the index).
  const all = await server.fetch('/api/scenarios?q=cold&limit=1');
  expect(((await all.json()) as ScenarioListResponse).total).toBe((await foundByLike('cold')).length);
}

describe('a cold index on worker threads writes the word index from the workers’ postings', () => {
  it(
    'indexes every word of every file, across blocks',
    async () => {
      const report = await server.corpus.indexAll({ workers: 2 });
      expect(report).toMatchObject({ files: FILES, indexed: FILES });
      expect(report.cpu.workersMs).toHaveLength(2);
      const docs = (await server.db.selectFrom('scenario').select('search_doc').execute()).map((r) => r.search_doc!);
      // One fresh block per batch.
      expect(new Set(docs.map((d) => Math.floor(d / BLOCK_SIZE))).size).toBe(3);
      await expectWordIndexOfRows(server.db);
      expect(await foundByList('boundaryword')).toHaveLength(Math.ceil(FILES / 97));
      expect(await foundByList('own1000x')).toEqual(['honesty/cold-words-1000.yaml']);
      await expectSameAsLike();
    },
    budget(60_000),
  );

  it(
    'stays exact after an edit, a delete, a new file and a forced re-index',
    async () => {
      writeFileSync(fileOf(1067), textOf(1067, 'fresh').replace('BoundaryWord', ''));
      writeFileSync(fileOf(1000), textOf(1000, 'BoundaryWord fresh'));
      rmSync(fileOf(970));
      writeFileSync(fileOf(FILES), textOf(FILES, 'fresh'));
      await server.corpus.indexAll({ workers: 2 });
      await expectWordIndexOfRows(server.db);
      expect(await foundByList('fresh')).toEqual([1000, 1067, FILES].map((i) => `honesty/${idOf(i)}.yaml`).sort());
      expect(await foundByList('boundaryword')).toContain('honesty/cold-words-1000.yaml');
      expect(await foundByList('boundaryword')).not.toContain('honesty/cold-words-1067.yaml');
      expect(await foundByList('boundaryword')).not.toContain('honesty/cold-words-970.yaml');
      await expectSameAsLike();

      const forced = await server.corpus.indexAll({ force: true, workers: 2 });
      expect(forced.indexed).toBe(FILES);
      await expectWordIndexOfRows(server.db);
      await expectSameAsLike();
    },
    budget(60_000),
  );
});
