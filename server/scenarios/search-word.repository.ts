// The scenario list's word index (issue 20 point 7): written in the same transaction as the index
// rows it describes (scenario.repository.ts), read by a text search (scenario-list.query.ts).
//
// Every scenario row gets a document number (scenario.search_doc); scenario_search_word holds, per
// word and block of BLOCK_SIZE numbers, the documents whose search text has the word. Numbers are
// never shared: a deleted row's words are taken out of the index with it, so a number is only ever
// in the blocks of the row that has it. A write of many new rows (a cold index) starts them at a
// fresh block, whose rows are then inserted without reading any; a few new rows fill the last block.
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { containsWord } from '../db/sql-contains.ts';
import { forgetListCounts } from './scenario-list.cache.ts';
import { BLOCK_SIZE, decodeDocs, encodeOffsets, isDigitsOnly, runsOfSearchWord, wordsOf } from './search-words.ts';

type Trx = Transaction<Database> | Db;

/** From this many new rows in one write, they start at a fresh block. */
const FRESH_BLOCK_MIN = 128;
/** Keys or values per statement: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 300;
/** A search word part found in more indexed words than this narrows nothing worth its reading (a letter, a digit). */
const MAX_EXPANSION = 500;

/** Per database, the vocabulary words known to be stored (committed), so a write inserts only new ones. */
const storedVocab = new WeakMap<object, Set<string>>();

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Takes every write to the word index in turn across server processes (PostgreSQL: an advisory lock
 * held to the end of the transaction); SQLite has one writer already. Blocks are read, changed and
 * written back, and new numbers follow the largest: two processes doing it at once would lose a write.
 */
async function lockWordIndex(trx: Trx): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext('scenario_search_word'))`.execute(trx);
}

interface WordChanges {
  add: Map<string, number[]>;
  remove: Map<string, number[]>;
}

function noteDoc(changes: Map<string, number[]>, word: string, doc: number) {
  const docs = changes.get(word);
  if (docs) docs.push(doc);
  else changes.set(word, [doc]);
}

/**
 * Inside an index write's transaction: gives each row (new, or with a changed search text) its
 * document number and brings the word index in line with its text. Returns every row's number.
 * `vocab` collects the words first written here, to be marked stored once the transaction commits.
 * `postings`, the rows' words as a fresh block stores them (blockPostingsOf, made on an index
 * worker), are stored as they are when every row is new: the rows then take a fresh block in
 * their order, and this thread neither splits their texts into words nor reads any block.
 */
export async function writeSearchWords(
  trx: Trx,
  rows: { rel_path: string; search_text: string }[],
  vocab: Set<string>,
  db: object,
  postings?: Map<string, string>,
): Promise<Map<string, number>> {
  await lockWordIndex(trx);
  const known = new Map<string, { search_doc: number | null; search_text: string }>();
  for (const part of chunks(rows.map((r) => r.rel_path))) {
    const found = await trx
      .selectFrom('scenario')
      .select(['rel_path', 'search_doc', 'search_text'])
      .where('rel_path', 'in', part)
      .execute();
    for (const f of found) known.set(f.rel_path, f);
  }

  const docs = new Map<string, number>();
  const changes: WordChanges = { add: new Map(), remove: new Map() };
  const fresh: { rel_path: string; search_text: string }[] = [];
  for (const row of rows) {
    const old = known.get(row.rel_path);
    if (!old || old.search_doc === null) {
      fresh.push(row);
      continue;
    }
    docs.set(row.rel_path, old.search_doc);
    if (old.search_text === row.search_text) continue;
    const before = wordsOf(old.search_text);
    const after = wordsOf(row.search_text);
    for (const w of before) if (!after.has(w)) noteDoc(changes.remove, w, old.search_doc);
    for (const w of after) if (!before.has(w)) noteDoc(changes.add, w, old.search_doc);
  }

  let firstFreshBlock = Number.POSITIVE_INFINITY;
  if (fresh.length > 0) {
    const { max } = await trx
      .selectFrom('scenario')
      .select((eb) => eb.fn.max('search_doc').as('max'))
      .executeTakeFirstOrThrow();
    if (postings && fresh.length === rows.length) {
      const block = max === null ? 0 : Math.floor(Number(max) / BLOCK_SIZE) + 1;
      rows.forEach((row, i) => docs.set(row.rel_path, block * BLOCK_SIZE + i));
      await insertFreshBlock(trx, block, postings);
      await storeVocab(trx, db, postings.keys(), vocab);
      return docs;
    }
    let next = max === null ? 0 : Number(max) + 1;
    if (fresh.length >= FRESH_BLOCK_MIN) next = Math.ceil(next / BLOCK_SIZE) * BLOCK_SIZE;
    // Blocks past the one holding the largest number have no rows yet.
    firstFreshBlock = max === null ? 0 : Math.floor(Number(max) / BLOCK_SIZE) + 1;
    for (const row of fresh) {
      const doc = next++;
      docs.set(row.rel_path, doc);
      for (const w of wordsOf(row.search_text)) noteDoc(changes.add, w, doc);
    }
  }
  await applyWordChanges(trx, changes, firstFreshBlock);
  await storeVocab(trx, db, changes.add.keys(), vocab);
  return docs;
}

/** Writes a block no row had a number in before: its postings as they are, nothing to read or merge. */
async function insertFreshBlock(trx: Trx, block: number, postings: Map<string, string>): Promise<void> {
  const rows: { word: string; block: number; docs: string }[] = [];
  for (const [word, docs] of postings) rows.push({ word, block, docs });
  for (const part of chunks(rows)) {
    await trx
      .insertInto('scenario_search_word')
      .values(part)
      .onConflict((oc) => oc.columns(['word', 'block']).doUpdateSet((eb) => ({ docs: eb.ref('excluded.docs') })))
      .execute();
  }
}

/** Inside a delete's transaction: takes the rows' documents out of the word index (before the rows go). */
export async function removeSearchWords(trx: Trx, relPaths: string[]): Promise<void> {
  await lockWordIndex(trx);
  const changes: WordChanges = { add: new Map(), remove: new Map() };
  for (const part of chunks(relPaths)) {
    const rows = await trx
      .selectFrom('scenario')
      .select(['search_doc', 'search_text'])
      .where('rel_path', 'in', part)
      .where('search_doc', 'is not', null)
      .execute();
    for (const row of rows) for (const w of wordsOf(row.search_text)) noteDoc(changes.remove, w, row.search_doc!);
  }
  await applyWordChanges(trx, changes, Number.POSITIVE_INFINITY);
}

/** Writes added and removed documents per (word, block); blocks from `firstFreshBlock` on are new rows. */
async function applyWordChanges(trx: Trx, changes: WordChanges, firstFreshBlock: number): Promise<void> {
  // Per "word\u0000block": offsets to add and to remove. A word's documents mostly share a block
  // (a cold index numbers a write's rows in order), so the key is made once per run of them.
  type Entry = { word: string; block: number; add: number[]; remove: number[] };
  const perKey = new Map<string, Entry>();
  const note = (word: string, docs: number[], side: 'add' | 'remove') => {
    let entry: Entry | undefined;
    for (const d of docs) {
      const block = Math.floor(d / BLOCK_SIZE);
      if (entry?.block !== block) {
        const key = `${word}\u0000${block}`;
        entry = perKey.get(key) ?? { word, block, add: [], remove: [] };
        perKey.set(key, entry);
      }
      entry[side].push(d - block * BLOCK_SIZE);
    }
  };
  for (const [word, docs] of changes.add) note(word, docs, 'add');
  for (const [word, docs] of changes.remove) note(word, docs, 'remove');

  const entries = [...perKey.values()];
  const stored = new Map<string, string>();
  const toRead = entries.filter((e) => e.block < firstFreshBlock);
  for (const part of chunks(toRead)) {
    const found = await trx
      .selectFrom('scenario_search_word')
      .select(['word', 'block', 'docs'])
      .where((eb) =>
        eb(
          eb.refTuple('word', 'block'),
          'in',
          part.map((e) => eb.tuple(e.word, e.block)),
        ),
      )
      .execute();
    for (const f of found) stored.set(`${f.word}\u0000${f.block}`, f.docs);
  }

  const upserts: { word: string; block: number; docs: string }[] = [];
  const deletes: { word: string; block: number }[] = [];
  for (const [key, e] of perKey) {
    const before = stored.get(key);
    let offsets: number[];
    if (before === undefined && e.remove.length === 0) offsets = e.add;
    else {
      const set = new Set(before === undefined ? [] : decodeDocs(0, before));
      for (const o of e.remove) set.delete(o);
      for (const o of e.add) set.add(o);
      offsets = [...set];
    }
    if (offsets.length === 0) {
      if (before !== undefined) deletes.push({ word: e.word, block: e.block });
      continue;
    }
    offsets.sort((a, b) => a - b);
    upserts.push({ word: e.word, block: e.block, docs: encodeOffsets(offsets) });
  }
  for (const part of chunks(upserts)) {
    await trx
      .insertInto('scenario_search_word')
      .values(part)
      .onConflict((oc) => oc.columns(['word', 'block']).doUpdateSet((eb) => ({ docs: eb.ref('excluded.docs') })))
      .execute();
  }
  for (const part of chunks(deletes)) {
    await trx
      .deleteFrom('scenario_search_word')
      .where((eb) =>
        eb(
          eb.refTuple('word', 'block'),
          'in',
          part.map((e) => eb.tuple(e.word, e.block)),
        ),
      )
      .execute();
  }
}

/** Inserts the words not yet known to be in the vocabulary; `vocab` collects them for `confirmVocab`. */
async function storeVocab(trx: Trx, db: object, words: Iterable<string>, vocab: Set<string>): Promise<void> {
  const stored = storedVocab.get(db);
  const missing: { word: string; digits_only: number }[] = [];
  for (const word of words) {
    if (stored?.has(word) || vocab.has(word)) continue;
    missing.push({ word, digits_only: isDigitsOnly(word) ? 1 : 0 });
    vocab.add(word);
  }
  for (const part of chunks(missing, 500)) {
    await trx
      .insertInto('scenario_search_vocab')
      .values(part)
      .onConflict((oc) => oc.column('word').doNothing())
      .execute();
  }
}

/** After the write's transaction committed: its new vocabulary words are stored. */
export function confirmVocab(db: object, vocab: Set<string>): void {
  let stored = storedVocab.get(db);
  if (!stored) storedVocab.set(db, (stored = new Set()));
  for (const w of vocab) stored.add(w);
}

/**
 * Writes the words of rows that have no document number yet (indexed before the word index
 * existed), a thousand per transaction. Run after each index pass; costs one index probe when none.
 */
export async function writeMissingSearchWords(db: Db): Promise<number> {
  let written = 0;
  for (;;) {
    const rows = await db
      .selectFrom('scenario')
      .select(['rel_path', 'search_text'])
      .where('search_doc', 'is', null)
      .limit(1000)
      .execute();
    if (rows.length === 0) return written;
    const vocab = new Set<string>();
    await db.transaction().execute(async (trx) => {
      const docs = await writeSearchWords(trx, rows, vocab, db);
      for (const [relPath, doc] of docs) {
        await trx.updateTable('scenario').set({ search_doc: doc }).where('rel_path', '=', relPath).execute();
      }
    });
    confirmVocab(db, vocab);
    forgetListCounts(db); // what the list kept was found without these rows' numbers
    written += rows.length;
  }
}

/** What the word index says about a search's words. */
export interface SearchDocs {
  /** The documents that can match: exactly the matches when `check` is empty. Ascending. */
  docs: number[];
  /** Words the index cannot decide alone: their substring test must still be made on `docs`. */
  check: string[];
}

/**
 * The documents whose search text contains every word, from the index; null when the index cannot
 * answer (rows not yet in it, or no word with a part narrow enough to look up): the caller then
 * tests every row's text.
 */
export async function findSearchDocs(db: Db, words: string[]): Promise<SearchDocs | null> {
  const unindexed = await db.selectFrom('scenario').select('rel_path').where('search_doc', 'is', null).limit(1).execute();
  if (unindexed.length > 0) return null;
  let docs: Set<number> | null = null;
  const check: string[] = [];
  for (const word of [...new Set(words)]) {
    const { runs, needsCheck } = runsOfSearchWord(word);
    let narrowed = false;
    for (const run of runs) {
      const expansion = await db
        .selectFrom('scenario_search_vocab')
        .select('word')
        // Off the partial index of the words that are not all digits, when the run cannot be inside one of those.
        .$if(!isDigitsOnly(run), (qb) => qb.where('digits_only', '=', 0))
        .where(containsWord(sql.ref('word'), run))
        .limit(MAX_EXPANSION + 1)
        .execute();
      if (expansion.length > MAX_EXPANSION) continue;
      narrowed = true;
      const holding = new Set<number>();
      for (const part of chunks(expansion.map((e) => e.word))) {
        const rows = await db.selectFrom('scenario_search_word').select(['block', 'docs']).where('word', 'in', part).execute();
        for (const r of rows) for (const d of decodeDocs(r.block, r.docs)) if (!docs || docs.has(d)) holding.add(d);
      }
      docs = holding;
      if (docs.size === 0) return { docs: [], check: [] };
    }
    if (needsCheck || !narrowed) check.push(word);
  }
  if (docs === null) return null;
  return { docs: [...docs].sort((a, b) => a - b), check };
}
