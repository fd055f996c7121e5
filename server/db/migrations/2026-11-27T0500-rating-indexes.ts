import type { Kysely } from 'kysely';

// Assignment reads a rater's own ratings on every call.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('realism_rating_rater_idx')
    .on('realism_rating')
    .columns(['study_id', 'rater_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('realism_rating_rater_idx').execute();
}
