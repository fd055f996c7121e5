import type { Db } from '../db/database.ts';
import type { AnnotationStudyRow } from './annotation.tables.ts';

// The annotation feature's read queries for the studio: the study list with its counts, and the
// rows of the agreement export. Assignment, leases and submissions are in annotation.store.ts.

/** Every annotation study, newest first, with its number of items and of annotations. */
export async function listAnnotationStudiesWithCounts(db: Db) {
  const studies = await db.selectFrom('annotation_study').selectAll().orderBy('created_at', 'desc').execute();
  const countsBy = async (table: 'annotation' | 'annotation_item') =>
    new Map(
      (
        await db
          .selectFrom(table)
          .select(['study_id', db.fn.countAll<number>().as('n')])
          .groupBy('study_id')
          .execute()
      ).map((r) => [r.study_id, Number(r.n)]),
    );
  const annotations = await countsBy('annotation');
  const items = await countsBy('annotation_item');
  return studies.map((study) => ({
    study,
    items: items.get(study.id) ?? 0,
    annotations: annotations.get(study.id) ?? 0,
  }));
}

/** Each annotation of the study with its rater's pseudonym, transcript and stratum, oldest first. */
export async function agreementExportRows(db: Db, study: AnnotationStudyRow) {
  return db
    .selectFrom('annotation as a')
    .innerJoin('user as u', 'u.id', 'a.rater_id')
    .innerJoin('dry_run as d', 'd.id', 'a.transcript_id')
    .innerJoin('annotation_item as i', (j) =>
      j.onRef('i.transcript_id', '=', 'a.transcript_id').onRef('i.study_id', '=', 'a.study_id'),
    )
    .select([
      'a.transcript_id',
      'a.score',
      'a.pass_met',
      'a.fail_met',
      'a.reason',
      'a.confidence',
      'a.judge_holds',
      'a.judge_holds_comment',
      'a.created_at',
      'u.pseudonym',
      'd.scenario_content',
      'd.content_hash',
      'd.model',
      'i.stratum',
    ])
    .where('a.study_id', '=', study.id)
    .orderBy('a.created_at')
    .execute();
}

/** The transcripts of a study that have at least one annotation. */
export async function annotatedTranscriptIds(db: Db, studyId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('annotation')
    .select('transcript_id')
    .distinct()
    .where('study_id', '=', studyId)
    .execute();
  return new Set(rows.map((a) => a.transcript_id));
}
