// Each document's facets, kept in memory per database (issue 20 point 7), so a text search counts
// its matches per facet without reading a row: at 100,000 scenarios, reading the facets of the
// 5,749 documents holding 'refund' off the index took most of that search's first request (12
// queries, about 2 us of SQLite a document). Kept under the list's rule (scenario-list.cache.ts):
// the index changes only through this process's writes, each of which moves the generation on;
// facets read while one was under way are dropped, and read again at the next list request.
import type { Db } from '../db/database.ts';
import { listGeneration } from './scenario-list.cache.ts';
import { BLOCK_SIZE } from './search-words.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** The facets that the scenario list counts. */
export interface DocFacetCombo {
  category: string;
  behavior: string;
  status: string;
  difficulty: string;
}

/** The facets of every document of the index at one generation. */
export interface DocFacets {
  generation: number;
  combos: DocFacetCombo[];
  /** Per document number, its index in `combos`; -1 where no row has the number. */
  comboOfDoc: Int32Array;
}

/**
 * Blocks of documents read per query, with the thread given back to requests between queries: one
 * block (about a millisecond) delays a request that arrives meanwhile by no more than that.
 */
const PAGE_BLOCKS = 1;

const kept = new WeakMap<object, DocFacets>();
const reading = new WeakSet<object>();

/** The facets of every document, if they are kept for the index as it is now. */
export function currentDocFacets(db: Db): DocFacets | null {
  const facets = kept.get(db);
  return facets && facets.generation === listGeneration(db) ? facets : null;
}

/**
 * Starts reading every document's facets, unless they are kept for the index as it is now or
 * already being read. Called by every list request: a browser lists before it searches.
 */
export function keepDocFacets(db: Db): void {
  if (currentDocFacets(db) || reading.has(db)) return;
  reading.add(db);
  readDocFacets(db)
    .then((facets) => {
      if (facets) kept.set(db, facets);
    })
    .catch(() => undefined) // searches count in SQL meanwhile; the next list request tries again
    .finally(() => reading.delete(db));
}

/** Reads the facets a range of document numbers at a time; null if the index was written meanwhile. */
async function readDocFacets(db: Db): Promise<DocFacets | null> {
  const generation = listGeneration(db);
  await nextTurn(); // after the request that asked
  const { max } = await db
    .selectFrom('scenario')
    .select((eb) => eb.fn.max('search_doc').as('max'))
    .executeTakeFirstOrThrow();
  const size = max === null ? 0 : Number(max) + 1;
  const comboOfDoc = new Int32Array(size).fill(-1);
  const combos: DocFacetCombo[] = [];
  const comboIndex = new Map<string, number>();
  const step = PAGE_BLOCKS * BLOCK_SIZE;
  for (let from = 0; from < size; from += step) {
    const rows = await db
      .selectFrom('scenario')
      .select(['search_doc', 'category', 'behavior', 'status', 'difficulty'])
      .where('search_doc', '>=', from)
      .where('search_doc', '<', from + step)
      .execute();
    for (const r of rows) {
      const key = `${r.category}\u0000${r.behavior}\u0000${r.status}\u0000${r.difficulty}`;
      let index = comboIndex.get(key);
      if (index === undefined) {
        index = combos.push({ category: r.category, behavior: r.behavior, status: r.status, difficulty: r.difficulty }) - 1;
        comboIndex.set(key, index);
      }
      comboOfDoc[r.search_doc!] = index;
    }
    if (listGeneration(db) !== generation) return null;
    await nextTurn();
  }
  return listGeneration(db) === generation ? { generation, combos, comboOfDoc } : null;
}
