import type { Kysely } from 'kysely';

// Promotions made from the calibration page, with what the held-out comparison said and, when the
// candidate was worse on the primary metric (or could not be told apart), the reason given.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('judge_promotion')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('judge_version_id', 'text', (col) => col.notNull())
    .addColumn('previous_id', 'text')
    .addColumn('study_id', 'text', (col) => col.notNull())
    .addColumn('guard', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('promoted_by', 'text')
    .addColumn('promoted_at', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('judge_promotion').execute();
}
