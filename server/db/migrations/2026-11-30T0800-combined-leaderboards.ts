import type { Kysely } from 'kysely';

// Leaderboards that combine runs of the same scenarios, judge version and repeats (issue 19 point 3):
// models over time, and a model added later placed beside the ones run before.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('combined_leaderboard')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('combined_leaderboard_run')
    .addColumn('leaderboard_id', 'text', (col) => col.notNull())
    .addColumn('run_id', 'text', (col) => col.notNull())
    .addColumn('added_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('combined_leaderboard_run_pk', ['leaderboard_id', 'run_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('combined_leaderboard_run').execute();
  await db.schema.dropTable('combined_leaderboard').execute();
}
