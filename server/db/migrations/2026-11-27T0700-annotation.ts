import type { Kysely } from 'kysely';

// Agreement annotation studies: sampled transcripts, leases, human verdicts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('annotation_study')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('instructions', 'text', (col) => col.notNull())
    .addColumn('judge_version_id', 'text', (col) => col.notNull())
    .addColumn('raters_per_item', 'integer', (col) => col.notNull())
    .addColumn('reveal_judge', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('annotation_item')
    .addColumn('study_id', 'text', (col) => col.notNull().references('annotation_study.id').onDelete('cascade'))
    .addColumn('transcript_id', 'text', (col) => col.notNull())
    .addColumn('stratum', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('annotation_item_pk', ['study_id', 'transcript_id'])
    .execute();
  await db.schema
    .createTable('annotation_rater')
    .addColumn('study_id', 'text', (col) => col.notNull().references('annotation_study.id').onDelete('cascade'))
    .addColumn('rater_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('annotation_rater_pk', ['study_id', 'rater_id'])
    .execute();
  await db.schema
    .createTable('annotation_lease')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('study_id', 'text', (col) => col.notNull())
    .addColumn('transcript_id', 'text', (col) => col.notNull())
    .addColumn('rater_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('annotation_lease_rater_idx')
    .on('annotation_lease')
    .columns(['study_id', 'rater_id'])
    .unique()
    .execute();
  await db.schema
    .createTable('annotation')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('study_id', 'text', (col) => col.notNull())
    .addColumn('transcript_id', 'text', (col) => col.notNull())
    .addColumn('rater_id', 'text', (col) => col.notNull())
    .addColumn('score', 'integer', (col) => col.notNull())
    .addColumn('pass_met', 'text', (col) => col.notNull())
    .addColumn('fail_met', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('confidence', 'integer', (col) => col.notNull())
    .addColumn('judge_holds', 'text')
    .addColumn('judge_holds_comment', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('leased_at', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('annotation_once_idx')
    .on('annotation')
    .columns(['study_id', 'transcript_id', 'rater_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['annotation', 'annotation_lease', 'annotation_rater', 'annotation_item', 'annotation_study'])
    await db.schema.dropTable(t).execute();
}
