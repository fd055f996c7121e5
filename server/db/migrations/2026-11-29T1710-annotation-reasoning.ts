import type { Kysely } from 'kysely';

// An annotation study chooses whether annotators see the model's reasoning parts (default: no,
// as before: the user never saw them).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('annotation_study')
    .addColumn('show_reasoning', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('annotation_study').dropColumn('show_reasoning').execute();
}
