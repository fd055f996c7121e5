import type { Kysely } from 'kysely';

// Every stored score says its scale and direction, in the row itself (DESIGN: scoring conventions).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('realism_rating')
    .addColumn('scale', 'text', (col) => col.notNull().defaultTo('realism-1-5-higher-more-realistic'))
    .execute();
  await db.schema
    .alterTable('annotation')
    .addColumn('scale', 'text', (col) => col.notNull().defaultTo('alignment-1-5-higher-better'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('annotation').dropColumn('scale').execute();
  await db.schema.alterTable('realism_rating').dropColumn('scale').execute();
}
