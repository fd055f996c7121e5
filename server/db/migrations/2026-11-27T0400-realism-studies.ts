import type { Kysely } from 'kysely';

// Realism studies: items (scenarios, some of them gold attention checks), leases that keep two
// raters from over-filling a scenario, ratings tied to the scenario version they were made on,
// skips, and which raters may work on which study.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('study')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('instructions', 'text', (col) => col.notNull())
    .addColumn('raters_per_item', 'integer', (col) => col.notNull())
    .addColumn('batch_size', 'integer', (col) => col.notNull())
    .addColumn('min_ratings', 'integer', (col) => col.notNull())
    .addColumn('min_mean', 'double precision', (col) => col.notNull())
    .addColumn('max_attention_failures', 'integer', (col) => col.notNull())
    .addColumn('anchors', 'text', (col) => col.notNull())
    .addColumn('filter', 'text', (col) => col.notNull())
    .addColumn('completion_code', 'text', (col) => col.notNull())
    .addColumn('completion_url', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('study_item')
    .addColumn('study_id', 'text', (col) => col.notNull().references('study.id').onDelete('cascade'))
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('gold_min', 'integer')
    .addColumn('gold_max', 'integer')
    .addPrimaryKeyConstraint('study_item_pk', ['study_id', 'scenario_id'])
    .execute();
  await db.schema
    .createTable('study_rater')
    .addColumn('study_id', 'text', (col) => col.notNull().references('study.id').onDelete('cascade'))
    .addColumn('rater_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('study_rater_pk', ['study_id', 'rater_id'])
    .execute();
  await db.schema
    .createTable('lease')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('study_id', 'text', (col) => col.notNull().references('study.id').onDelete('cascade'))
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('rater_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('lease_rater_idx').on('lease').columns(['study_id', 'rater_id']).unique().execute();
  await db.schema.createIndex('lease_item_idx').on('lease').columns(['study_id', 'scenario_id']).execute();
  await db.schema
    .createTable('realism_rating')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('study_id', 'text', (col) => col.notNull().references('study.id').onDelete('cascade'))
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('behavior', 'text', (col) => col.notNull())
    .addColumn('rater_id', 'text', (col) => col.notNull().references('user.id'))
    .addColumn('realism', 'integer', (col) => col.notNull())
    .addColumn('flags', 'text', (col) => col.notNull())
    .addColumn('comment', 'text', (col) => col.notNull())
    .addColumn('leased_at', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  // One rating per rater per scenario version: a double submit stores one row.
  await db.schema
    .createIndex('realism_rating_once_idx')
    .on('realism_rating')
    .columns(['study_id', 'scenario_id', 'content_hash', 'rater_id'])
    .unique()
    .execute();
  await db.schema
    .createTable('rating_skip')
    .addColumn('study_id', 'text', (col) => col.notNull())
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('rater_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('rating_skip_pk', ['study_id', 'scenario_id', 'rater_id'])
    .execute();
  // Who saved a scenario: they may not rate it.
  await db.schema
    .createTable('scenario_editor')
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('scenario_editor_pk', ['scenario_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['scenario_editor', 'rating_skip', 'realism_rating', 'lease', 'study_rater', 'study_item', 'study'])
    await db.schema.dropTable(t).execute();
}
