import type { Kysely } from 'kysely';

// A verdict records whether its judge saw the whole transcript: when a transcript passes the judge
// model's context budget its middle is elided (marked in the prompt), never cut silently.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('judgement')
    .addColumn('elided_entries', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('judgement').dropColumn('elided_entries').execute();
}
