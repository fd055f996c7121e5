import type { Kysely } from 'kysely';

// An annotation study may ask annotators to rate some of its judge version's dimensions besides
// alignment (their definitions copied into the study); each annotation keeps those scores.
// Studies and annotations made before ask for and hold none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('annotation_study')
    .addColumn('dimensions', 'text', (col) => col.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('annotation')
    .addColumn('dimensions', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('annotation').dropColumn('dimensions').execute();
  await db.schema.alterTable('annotation_study').dropColumn('dimensions').execute();
}
