import type { Kysely } from 'kysely';

// Dry-runs: one row per run, with the exact scenario text it ran (drafts may be unsaved) and every
// transcript event. A row starts as `running` and is updated as events arrive, so a crash leaves
// the partial transcript (marked `interrupted` at the next start).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dry_run')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('scenario_id', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('scenario_content', 'text', (col) => col.notNull())
    .addColumn('model', 'text', (col) => col.notNull())
    .addColumn('params', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision')
    .addColumn('latency_ms', 'double precision')
    .addColumn('ttft_ms', 'double precision')
    .addColumn('error', 'text')
    .addColumn('red_flags', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('events', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('dry_run_scenario_idx').on('dry_run').columns(['scenario_id', 'started_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dry_run').execute();
}
