import type { Kysely } from 'kysely';

// Assignment counts a study's ratings per scenario version on every call, now grouped by the rater
// view too. Without the view hash in an index, that count read every rating row of the study (rater
// throughput fell by a third, seen by bench/rating-load.bench.ts); this index covers the query.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('realism_rating_view_idx')
    .on('realism_rating')
    .columns(['study_id', 'scenario_id', 'content_hash', 'rater_view_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('realism_rating_view_idx').execute();
}
