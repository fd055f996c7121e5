import { sql, type Kysely } from 'kysely';

// The word index's vocabulary marks its words made only of the digits 0-9 (issue 20 point 7). A
// search word part with any other character cannot lie inside such a word, so it is matched only
// against the other words, through a partial index that holds just those: at 100,000 generated
// scenarios the vocabulary held about 110,000 numbers (ids, title numbers) and 3,000 other words,
// and testing every word took most of a first search's time.

const DIGITS = /^[0-9]+$/;
const PAGE = 5_000;
const CHUNK = 500;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('scenario_search_vocab')
    .addColumn('digits_only', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  // Words already indexed, a page at a time along the primary key.
  let after: string | null = null;
  for (;;) {
    const page: { word: string }[] = await db
      .selectFrom('scenario_search_vocab')
      .select('word')
      .$if(after !== null, (qb) => qb.where('word', '>', after))
      .orderBy('word')
      .limit(PAGE)
      .execute();
    if (page.length === 0) break;
    const digits = page.map((r) => r.word).filter((w) => DIGITS.test(w));
    for (let i = 0; i < digits.length; i += CHUNK) {
      await db
        .updateTable('scenario_search_vocab')
        .set({ digits_only: 1 })
        .where('word', 'in', digits.slice(i, i + CHUNK))
        .execute();
    }
    after = page[page.length - 1]!.word;
  }
  await db.schema
    .createIndex('scenario_search_vocab_words_idx')
    .on('scenario_search_vocab')
    .column('word')
    .where(sql.ref('digits_only'), '=', 0)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('scenario_search_vocab_words_idx').execute();
  await db.schema.alterTable('scenario_search_vocab').dropColumn('digits_only').execute();
}
