import type { Kysely } from 'kysely';

// What a realism study asks of a crowd participant: how many scenarios they may skip (the completion
// code needs the batch rated), and whether the platform's study and session ids must come along.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('study')
    .addColumn('max_skips', 'integer', (col) => col.notNull().defaultTo(5))
    .execute();
  await db.schema
    .alterTable('study')
    .addColumn('require_platform_ids', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('study').dropColumn('require_platform_ids').execute();
  await db.schema.alterTable('study').dropColumn('max_skips').execute();
}
