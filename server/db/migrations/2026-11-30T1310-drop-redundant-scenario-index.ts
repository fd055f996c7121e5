import type { Kysely } from 'kysely';

// (category, behavior) is the start of both scenario list indexes of 2026-11-30T0920, which serve
// every query it served; kept, it only cost every insert of a cold index (issue 20 point 7).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('scenario_category_behavior_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('scenario_category_behavior_idx')
    .on('scenario')
    .columns(['category', 'behavior'])
    .execute();
}
