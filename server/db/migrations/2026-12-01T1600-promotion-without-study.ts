import type { Kysely } from 'kysely';

// A promotion from the judges page may have no annotation study behind it (no study has held-out
// transcripts both versions judged); its guard is then "unknown" and its reason required, and the
// row says so with a null study. SQLite cannot drop NOT NULL in place, so the table is rebuilt.
async function rebuild(db: Kysely<any>, studyRequired: boolean): Promise<void> {
  await db.schema
    .createTable('judge_promotion_next')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('judge_version_id', 'text', (col) => col.notNull())
    .addColumn('previous_id', 'text')
    .addColumn('study_id', 'text', (col) => (studyRequired ? col.notNull() : col))
    .addColumn('guard', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('promoted_by', 'text')
    .addColumn('promoted_at', 'text', (col) => col.notNull())
    .execute();
  const columns = [
    'id',
    'judge_version_id',
    'previous_id',
    'study_id',
    'guard',
    'reason',
    'promoted_by',
    'promoted_at',
  ];
  let rows = db.selectFrom('judge_promotion').select(columns);
  if (studyRequired) rows = rows.where('study_id', 'is not', null);
  await db.insertInto('judge_promotion_next').columns(columns).expression(rows).execute();
  await db.schema.dropTable('judge_promotion').execute();
  await db.schema.alterTable('judge_promotion_next').renameTo('judge_promotion').execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, false);
}

// Down drops the promotions that had no study: the older schema cannot hold them.
export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, true);
}
