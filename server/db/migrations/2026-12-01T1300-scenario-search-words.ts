import type { Kysely } from 'kysely';

// The scenario list's word index (issue 20 point 7): a text search reads the documents of the
// words it names instead of matching every row's search text (server/scenarios/search-words.ts).
// - scenario.search_doc: the row's document number in the index (null until its words are
//   written; rows of an older index are written at the next start). The index on it, with the
//   facet columns, lets a search count its matches per facet without reading the rows.
// - scenario_search_word: per word and block of 1,024 document numbers, the documents holding it.
// - scenario_search_vocab: every word ever indexed, which a search word is matched against (a
//   search word may be part of a longer word).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scenario').addColumn('search_doc', 'integer').execute();
  await db.schema
    .createIndex('scenario_search_doc_idx')
    .on('scenario')
    .columns(['search_doc', 'category', 'behavior', 'status', 'difficulty'])
    .execute();
  await db.schema
    .createTable('scenario_search_word')
    .addColumn('word', 'text', (col) => col.notNull())
    .addColumn('block', 'integer', (col) => col.notNull())
    .addColumn('docs', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('scenario_search_word_pk', ['word', 'block'])
    .execute();
  await db.schema
    .createTable('scenario_search_vocab')
    .addColumn('word', 'text', (col) => col.primaryKey())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scenario_search_vocab').execute();
  await db.schema.dropTable('scenario_search_word').execute();
  await db.schema.dropIndex('scenario_search_doc_idx').execute();
  await db.schema.alterTable('scenario').dropColumn('search_doc').execute();
}
