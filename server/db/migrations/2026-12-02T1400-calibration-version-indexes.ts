import type { Kysely } from 'kysely';

// A calibration report is cached under its data version: a study's annotation count and latest
// annotation time, a judge version's verdict count and latest verdict time (calibrationDataVersion).
// The page computes that key for each of its requests on every visit; without these indexes each
// one read every annotation of the study and every verdict in the database (10-15 ms at 5,000
// annotated transcripts, more as verdicts pile up across runs).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('annotation_study_time_idx')
    .on('annotation')
    .columns(['study_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('judgement_version_time_idx')
    .on('judgement')
    .columns(['judge_version_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('judgement_version_time_idx').execute();
  await db.schema.dropIndex('annotation_study_time_idx').execute();
}
