import { randomBytes } from 'node:crypto';
import { DEFAULT_MAX_SKIPS, type CreateStudyRequestSchema, type StudySummary } from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { forgetKeptStudy } from './rater-study.ts';
import type { StudyTableRow } from './study.tables.ts';
import type { z } from 'zod';

type CreateStudyOutput = z.output<typeof CreateStudyRequestSchema>;
/** A study's settings; the crowd safeguards may be left out (an import) and take their defaults. */
type CreateStudy = Omit<CreateStudyOutput, 'maxSkips' | 'requirePlatformIds'> &
  Partial<Pick<CreateStudyOutput, 'maxSkips' | 'requirePlatformIds'>>;
export type StudyRow = StudyTableRow;

/** A short, readable, unguessable id: studies appear in URLs handed to crowd platforms. */
function newStudyId(): string {
  return `st-${randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
}

export async function createStudy(
  db: Db,
  req: CreateStudy,
  scenarioIds: string[],
  createdBy: string | null,
  id = newStudyId(),
): Promise<string> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('study')
      .values({
        id,
        name: req.name,
        instructions: req.instructions,
        raters_per_item: req.ratersPerItem,
        batch_size: req.batchSize,
        min_ratings: req.minRatings,
        min_mean: req.minMean,
        max_attention_failures: req.maxAttentionFailures,
        anchors: JSON.stringify(req.anchors),
        filter: JSON.stringify(req.filter),
        completion_code: randomBytes(5).toString('hex').toUpperCase(),
        completion_url: req.completionUrl ?? null,
        max_skips: req.maxSkips ?? DEFAULT_MAX_SKIPS,
        require_platform_ids: req.requirePlatformIds ? 1 : 0,
        status: 'open',
        created_by: createdBy,
        created_at: new Date().toISOString(),
      })
      .execute();
    for (const scenarioId of new Set(scenarioIds)) {
      await trx
        .insertInto('study_item')
        .values({ study_id: id, scenario_id: scenarioId, gold_min: null, gold_max: null })
        .execute();
    }
  });
  return id;
}

export async function findStudy(db: Db, id: string): Promise<StudyRow | undefined> {
  return db.selectFrom('study').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The study, and whether this person joined it as a rater: one query, as every rater request asks both. */
export async function findStudyWithRater(
  db: Db,
  id: string,
  raterId: string,
): Promise<{ study: StudyRow; joined: boolean } | undefined> {
  const row = await db
    .selectFrom('study')
    .leftJoin('study_rater as r', (join) => join.onRef('r.study_id', '=', 'study.id').on('r.rater_id', '=', raterId))
    .selectAll('study')
    .select('r.rater_id as joined_as')
    .where('study.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { joined_as, ...study } = row;
  return { study, joined: joined_as !== null };
}

export async function listStudyRows(db: Db): Promise<StudyRow[]> {
  return db.selectFrom('study').selectAll().orderBy('created_at', 'desc').execute();
}

export async function countItems(db: Db, studyId: string): Promise<number> {
  const r = await db
    .selectFrom('study_item')
    .select(db.fn.countAll<number>().as('n'))
    .where('study_id', '=', studyId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setStudyStatus(db: Db, id: string, status: 'open' | 'closed'): Promise<void> {
  await db.updateTable('study').set({ status }).where('id', '=', id).execute();
  forgetKeptStudy(db, id); // rater requests of this process see the change at once (rater-study.ts)
}

/** Marks (or, with nulls, unmarks) a scenario of the study as a gold attention check. */
export async function setGold(
  db: Db,
  studyId: string,
  scenarioId: string,
  min: number | null,
  max: number | null,
): Promise<boolean> {
  const r = await db
    .updateTable('study_item')
    .set({ gold_min: min, gold_max: max })
    .where('study_id', '=', studyId)
    .where('scenario_id', '=', scenarioId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function joinStudy(db: Db, studyId: string, raterId: string): Promise<void> {
  await db
    .insertInto('study_rater')
    .values({ study_id: studyId, rater_id: raterId, joined_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['study_id', 'rater_id']).doNothing())
    .execute();
}

/** How many scenarios this rater has skipped in the study. */
export async function skipsBy(db: Db, studyId: string, raterId: string): Promise<number> {
  const r = await db
    .selectFrom('rating_skip')
    .select(db.fn.countAll<number>().as('n'))
    .where('study_id', '=', studyId)
    .where('rater_id', '=', raterId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function isStudyRater(db: Db, studyId: string, raterId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('study_rater')
      .select('rater_id')
      .where('study_id', '=', studyId)
      .where('rater_id', '=', raterId)
      .executeTakeFirst()) !== undefined
  );
}

/** Records that a person saved a scenario: they may not rate it. */
export async function recordScenarioEditor(db: Db, scenarioId: string, userId: string): Promise<void> {
  await db
    .insertInto('scenario_editor')
    .values({ scenario_id: scenarioId, user_id: userId })
    .onConflict((oc) => oc.columns(['scenario_id', 'user_id']).doNothing())
    .execute();
}

export function summaryOfStudy(
  row: StudyRow,
  counts: { items: number; ratings: number; validated: number },
): StudySummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    ratersPerItem: row.raters_per_item,
    batchSize: row.batch_size,
    minRatings: row.min_ratings,
    minMean: row.min_mean,
    items: counts.items,
    ratings: counts.ratings,
    validated: counts.validated,
    createdAt: row.created_at,
  };
}
