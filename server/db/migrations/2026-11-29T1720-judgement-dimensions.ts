import type { Kysely } from 'kysely';

// A verdict stores every dimension its judge version scores besides the primary alignment score
// (JSON, each with its scale and direction). Verdicts stored before keep '[]': primary only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('judgement')
    .addColumn('dimensions', 'text', (col) => col.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('judgement').dropColumn('dimensions').execute();
}
