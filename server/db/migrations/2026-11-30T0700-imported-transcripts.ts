import type { Kysely } from 'kysely';

// Transcripts imported from other tools (Bloom, Petri, Inspect logs). The conversation itself is a
// dry_run row (status completed) with its events, so annotation, calibration and the judges read it
// like any transcript; this table says where it came from, and its source hash makes a re-import a
// no-op. External scores are the source's own judge verdicts, one row per scorer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imported_transcript')
    .addColumn('dry_run_id', 'text', (col) => col.primaryKey())
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('reference', 'text', (col) => col.notNull())
    .addColumn('source_hash', 'text', (col) => col.notNull())
    .addColumn('dropped', 'text', (col) => col.notNull())
    .addColumn('imported_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('imported_transcript_source_idx')
    .on('imported_transcript')
    .column('source_hash')
    .unique()
    .execute();
  await db.schema
    .createTable('external_score')
    .addColumn('transcript_id', 'text', (col) => col.notNull())
    .addColumn('scorer', 'text', (col) => col.notNull())
    .addColumn('raw', 'text', (col) => col.notNull())
    .addColumn('value', 'double precision')
    .addColumn('scale_min', 'double precision')
    .addColumn('scale_max', 'double precision')
    .addColumn('direction', 'text', (col) => col.notNull())
    .addColumn('alignment', 'integer')
    .addColumn('rationale', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('external_score_pk', ['transcript_id', 'scorer'])
    .execute();
  await db.schema
    .createIndex('external_score_scorer_idx')
    .on('external_score')
    .columns(['scorer', 'alignment'])
    .execute();
  // A study may be stratified by an external scorer's bands instead of its judge's.
  await db.schema.alterTable('annotation_study').addColumn('external_scorer', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('annotation_study').dropColumn('external_scorer').execute();
  await db.schema.dropTable('external_score').execute();
  await db.schema.dropTable('imported_transcript').execute();
}
