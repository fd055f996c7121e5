import { sql, type Kysely } from 'kysely';

// Staleness by what people saw: a realism rating goes stale when the scenario's rater view changes,
// not on any byte of the file. The scenario index keeps the hash of the rater view; leases and
// ratings record the one their rater saw. Existing ratings keep their content hash (and stay
// current by it); the index fills in their view hash when it next reads the version they rated,
// which every scenario gets at the next start (its stamp is cleared here).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('scenario')
    .addColumn('rater_view_hash', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('realism_rating').addColumn('rater_view_hash', 'text').execute();
  await db.schema.alterTable('lease').addColumn('rater_view_hash', 'text').execute();
  await sql`update scenario set mtime_ms = -1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lease').dropColumn('rater_view_hash').execute();
  await db.schema.alterTable('realism_rating').dropColumn('rater_view_hash').execute();
  await db.schema.alterTable('scenario').dropColumn('rater_view_hash').execute();
}
