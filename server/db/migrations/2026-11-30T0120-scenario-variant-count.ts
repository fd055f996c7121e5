import type { Kysely } from 'kysely';

// The index records how many variants each scenario file gives (issue 15): a run's size is
// scenarios' variants x models x repeats, which the new-run dialog shows before starting. Existing
// rows count 1 (no variables) until their file is next indexed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('scenario')
    .addColumn('variant_count', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scenario').dropColumn('variant_count').execute();
}
