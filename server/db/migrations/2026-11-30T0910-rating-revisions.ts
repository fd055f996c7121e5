import type { Kysely } from 'kysely';

// A rater may go back and change a rating they gave (a slip of the key, a second thought). The
// rating row holds the current answer; each answer it replaced is kept here, so an analysis can
// tell revised ratings apart and nothing a rater submitted is ever lost.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('realism_rating_revision')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('rating_id', 'text', (col) => col.notNull().references('realism_rating.id').onDelete('cascade'))
    .addColumn('realism', 'integer', (col) => col.notNull())
    .addColumn('flags', 'text', (col) => col.notNull())
    .addColumn('comment', 'text', (col) => col.notNull())
    .addColumn('rated_at', 'text', (col) => col.notNull())
    .addColumn('revised_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('realism_rating_revision_by_rating')
    .on('realism_rating_revision')
    .column('rating_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('realism_rating_revision').execute();
}
