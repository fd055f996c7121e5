import type { Kysely } from 'kysely';

// An annotator's next transcript and progress read the verdicts they gave in the study. The only
// index on annotation led with (study_id, transcript_id), so each of those reads went through every
// verdict of the study (12,000 at 3,000 transcripts with three each) on every request.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('annotation_study_rater_idx')
    .on('annotation')
    .columns(['study_id', 'rater_id', 'transcript_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('annotation_study_rater_idx').execute();
}
