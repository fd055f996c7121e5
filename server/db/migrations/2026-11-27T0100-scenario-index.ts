import type { Kysely } from 'kysely';

// The scenario index: one row per scenario file, rebuilt from the files whenever they change.
// Keyed by path because two files may (wrongly) share an id; the duplicate is then reported.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scenario')
    .addColumn('rel_path', 'text', (col) => col.primaryKey())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('folder', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('behavior', 'text', (col) => col.notNull())
    .addColumn('difficulty', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('search_text', 'text', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('turn_count', 'integer', (col) => col.notNull())
    .addColumn('tool_count', 'integer', (col) => col.notNull())
    .addColumn('error_count', 'integer', (col) => col.notNull())
    .addColumn('warning_count', 'integer', (col) => col.notNull())
    .addColumn('diagnostics', 'text', (col) => col.notNull())
    .addColumn('size_bytes', 'integer', (col) => col.notNull())
    .addColumn('mtime_ms', 'double precision', (col) => col.notNull())
    .addColumn('indexed_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('scenario_id_idx').on('scenario').column('id').execute();
  await db.schema
    .createIndex('scenario_category_behavior_idx')
    .on('scenario')
    .columns(['category', 'behavior'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scenario').execute();
}
