import type { CalibrationItem } from '../calibration/calibration-metrics.ts';
import type { Db } from '../db/database.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { storedScenario } from './stored-scenario.ts';

export interface CalibrationRow extends CalibrationItem {
  scenarioId: string;
  model: string;
  judgeRationale: string | null;
  /** The judge-score band the study sampled it from (its split is stratified by it). */
  stratum: string;
  /** Red-flag tool calls in the transcript. */
  redFlags: number;
  humanReasons: { pseudonym: string; score: number; reason: string; confidence: number }[];
}

/** Annotated transcripts of a study with the given judge version's verdict (items without one are left out). */
export async function loadCalibrationRows(db: Db, studyId: string, judgeVersionId: string): Promise<CalibrationRow[]> {
  const items = await db
    .selectFrom('annotation_item as i')
    .innerJoin('dry_run as d', 'd.id', 'i.transcript_id')
    .innerJoin('judgement as j', (join) =>
      join.onRef('j.transcript_id', '=', 'i.transcript_id').on('j.judge_version_id', '=', judgeVersionId),
    )
    .select([
      'i.transcript_id',
      'd.scenario_content',
      'd.model',
      'd.red_flags',
      'i.stratum',
      'j.score',
      'j.pass_met',
      'j.fail_met',
      'j.status',
      'j.rationale',
    ])
    .where('i.study_id', '=', studyId)
    .execute();
  await nextTurn(); // other requests between the two reads
  const annotations = await db
    .selectFrom('annotation as a')
    .innerJoin('user as u', 'u.id', 'a.rater_id')
    .select(['a.transcript_id', 'a.score', 'a.pass_met', 'a.fail_met', 'a.reason', 'a.confidence', 'u.pseudonym'])
    .where('a.study_id', '=', studyId)
    .orderBy('a.created_at')
    .execute();
  const byTranscript = new Map<string, typeof annotations>();
  for (const a of annotations) {
    const list = byTranscript.get(a.transcript_id);
    if (list) list.push(a);
    else byTranscript.set(a.transcript_id, [a]);
  }
  const rows: CalibrationRow[] = [];
  for (const item of items) {
    const humans = byTranscript.get(item.transcript_id) ?? [];
    if (item.status !== 'scored' || item.score === null || humans.length === 0) continue;
    const doc = storedScenario(item.scenario_content);
    rows.push({
      id: item.transcript_id,
      scenarioId: doc.id,
      category: doc.category,
      behavior: doc.behavior,
      model: item.model,
      judge: {
        score: item.score,
        passMet: JSON.parse(item.pass_met) as number[],
        failMet: JSON.parse(item.fail_met) as number[],
      },
      humans: humans.map((h) => ({
        score: h.score,
        passMet: JSON.parse(h.pass_met) as number[],
        failMet: JSON.parse(h.fail_met) as number[],
      })),
      passCriteria: doc.passCriteria.length,
      failCriteria: doc.failCriteria.length,
      judgeRationale: item.rationale,
      stratum: item.stratum,
      redFlags: item.red_flags,
      humanReasons: humans.map((h) => ({
        pseudonym: h.pseudonym,
        score: h.score,
        reason: h.reason,
        confidence: h.confidence,
      })),
    });
  }
  return rows;
}

/**
 * A key that changes whenever the data behind a calibration report changes (a new or revised
 * annotation, a new verdict of this judge version): reports are cached under it.
 */
export async function calibrationDataVersion(db: Db, studyId: string, judgeVersionId: string): Promise<string> {
  const a = await db
    .selectFrom('annotation')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
    .where('study_id', '=', studyId)
    .executeTakeFirstOrThrow();
  const j = await db
    .selectFrom('judgement')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
    .where('judge_version_id', '=', judgeVersionId)
    .executeTakeFirstOrThrow();
  return [studyId, judgeVersionId, a.n, a.last, j.n, j.last].join('|');
}
