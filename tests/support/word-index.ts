import { expect } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { BLOCK_SIZE, encodeOffsets, isDigitsOnly, wordsOf } from '../../server/scenarios/search-words.ts';

/**
 * The word index holds exactly the words of the rows' texts, under their document numbers (one
 * each, never shared), and every word is in the vocabulary a search matches against, marked as
 * digits only when it is.
 */
export async function expectWordIndexOfRows(db: Db): Promise<void> {
  const rows = await db.selectFrom('scenario').select(['search_doc', 'search_text']).execute();
  const docs = rows.map((r) => r.search_doc);
  expect(docs.every((d) => d !== null)).toBe(true);
  expect(new Set(docs).size).toBe(docs.length);
  const expected = new Map<string, number[]>();
  for (const row of rows) {
    for (const word of wordsOf(row.search_text)) {
      const key = `${word}\u0000${Math.floor(row.search_doc! / BLOCK_SIZE)}`;
      expected.set(key, [...(expected.get(key) ?? []), row.search_doc! % BLOCK_SIZE]);
    }
  }
  const stored = await db.selectFrom('scenario_search_word').selectAll().execute();
  expect(new Map(stored.map((s) => [`${s.word}\u0000${s.block}`, s.docs]))).toEqual(
    new Map([...expected].map(([key, offsets]) => [key, encodeOffsets(offsets.sort((a, b) => a - b))])),
  );
  const vocabRows = await db.selectFrom('scenario_search_vocab').select(['word', 'digits_only']).execute();
  const vocab = new Set(vocabRows.map((v) => v.word));
  for (const key of expected.keys()) expect(vocab.has(key.split('\u0000')[0]!)).toBe(true);
  // A word marked as digits only is skipped by searches for anything else.
  for (const v of vocabRows) expect(v.digits_only, v.word).toBe(isDigitsOnly(v.word) ? 1 : 0);
}
