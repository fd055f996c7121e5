import type { Kysely } from 'kysely';

// Benchmark runs and their items. A run's transcripts are dry-run rows tagged with the run, and a
// cache key (scenario version, model, parameters, seed, repeat) lets a re-run reuse them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('run')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('settings', 'text', (col) => col.notNull())
    .addColumn('judge_version_id', 'text')
    .addColumn('retries', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createTable('run_item')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('run_id', 'text', (col) => col.notNull().references('run.id').onDelete('cascade'))
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('scenario_content', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('behavior', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('repeat', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('dry_run_id', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cached', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision')
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('run_item_once', ['run_id', 'scenario_id', 'model', 'repeat'])
    .execute();
  await db.schema.createIndex('run_item_status_idx').on('run_item').columns(['run_id', 'status']).execute();
  await db.schema.alterTable('dry_run').addColumn('run_id', 'text').execute();
  await db.schema.alterTable('dry_run').addColumn('cache_key', 'text').execute();
  await db.schema.createIndex('dry_run_cache_idx').on('dry_run').column('cache_key').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dry_run_cache_idx').execute();
  await db.schema.alterTable('dry_run').dropColumn('cache_key').execute();
  await db.schema.alterTable('dry_run').dropColumn('run_id').execute();
  await db.schema.dropTable('run_item').execute();
  await db.schema.dropTable('run').execute();
}
