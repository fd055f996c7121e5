import { sql } from 'kysely';
import type { MyRaterStudy } from '../../schema/api/rater-home.ts';
import type { Db } from '../db/database.ts';
import type { UserRow } from '../people/people.table.ts';
import { batchTotal } from './assignment.ts';

/**
 * The studies a rater has joined (realism and annotation), newest first, with how far they are:
 * what /rate lists so that a rater who lost the tab, or whose invite link is used up, finds their
 * batch again. Three queries per kind, whatever the number of studies.
 */
export async function listRaterStudies(db: Db, rater: Pick<UserRow, 'id' | 'kind'>): Promise<MyRaterStudy[]> {
  const raterId = rater.id;
  const realism = await db
    .selectFrom('study_rater as r')
    .innerJoin('study as s', 's.id', 'r.study_id')
    .select(['s.id', 's.name', 's.status', 's.batch_size', 'r.joined_at'])
    .where('r.rater_id', '=', raterId)
    .execute();
  const realismIds = realism.map((s) => s.id);
  const [rated, items] = realismIds.length
    ? await Promise.all([
        countBy(db, 'realism_rating', realismIds, raterId),
        countBy(db, 'study_item', realismIds, null),
      ])
    : [new Map<string, number>(), new Map<string, number>()];

  const annotation = await db
    .selectFrom('annotation_rater as r')
    .innerJoin('annotation_study as s', 's.id', 'r.study_id')
    .select(['s.id', 's.name', 's.status', 's.created_at'])
    .where('r.rater_id', '=', raterId)
    .execute();
  const annotationIds = annotation.map((s) => s.id);
  const [verdicts, transcripts] = annotationIds.length
    ? await Promise.all([
        countBy(db, 'annotation', annotationIds, raterId),
        countBy(db, 'annotation_item', annotationIds, null),
      ])
    : [new Map<string, number>(), new Map<string, number>()];

  // Newest first: realism by when they joined, annotation (no join time kept) by when the study was made.
  const entries: { since: string; study: MyRaterStudy }[] = [
    ...realism.map((s) => ({
      since: s.joined_at,
      study: {
        id: s.id,
        kind: 'realism' as const,
        name: s.name,
        status: s.status,
        done: rated.get(s.id) ?? 0,
        total: batchTotal(s, rater, items.get(s.id) ?? 0),
        joinedAt: s.joined_at,
      },
    })),
    ...annotation.map((s) => ({
      since: s.created_at,
      study: {
        id: s.id,
        kind: 'annotation' as const,
        name: s.name,
        status: s.status,
        done: verdicts.get(s.id) ?? 0,
        total: transcripts.get(s.id) ?? 0,
        joinedAt: null,
      },
    })),
  ];
  return entries.sort((a, b) => b.since.localeCompare(a.since)).map((e) => e.study);
}

/** Rows per study in one of the tables keyed by study_id (optionally one rater's rows only). */
async function countBy(
  db: Db,
  table: 'realism_rating' | 'study_item' | 'annotation' | 'annotation_item',
  studyIds: string[],
  raterId: string | null,
): Promise<Map<string, number>> {
  const q = db
    .selectFrom(table)
    .select(['study_id', db.fn.countAll<number>().as('n')])
    .where('study_id', 'in', studyIds)
    .groupBy('study_id');
  const rows = await (raterId ? q.where(sql.ref('rater_id'), '=', raterId) : q).execute();
  return new Map(rows.map((r) => [r.study_id, Number(r.n)]));
}
