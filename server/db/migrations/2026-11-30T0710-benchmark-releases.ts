import type { Kysely } from 'kysely';

// Benchmark releases this instance made or imported: the release folder is the publication; this
// row lists it in the studio and gives the next release its predecessor (version, scenario hashes).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('benchmark_release')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('origin', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('manifest', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('recorded_at', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('benchmark_release').execute();
}
