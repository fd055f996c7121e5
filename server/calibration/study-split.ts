import type { AnnotationStudyRow } from '../annotation/annotation.tables.ts';
import { scenarioMeta } from '../annotation/sampling.ts';
import type { Db } from '../db/database.ts';
import { calibrationSplit, type CalibrationPart } from './calibration-split.ts';

// A study's transcripts never change after it is made, so its split is computed once per study
// (and once when two requests ask at the same time: the promise is what is kept).
const splits = new Map<string, Promise<Map<string, CalibrationPart>>>();

/** Which part (learn / held-out) each transcript of the study is in. */
export function studySplit(db: Db, study: AnnotationStudyRow): Promise<Map<string, CalibrationPart>> {
  const key = `${study.id}|${study.split_seed}|${study.learn_share}`;
  const hit = splits.get(key);
  if (hit) return hit;
  if (splits.size > 200) splits.clear();
  const split = computeSplit(db, study);
  splits.set(key, split);
  split.catch(() => splits.delete(key)); // a failed read is not kept
  return split;
}

async function computeSplit(db: Db, study: AnnotationStudyRow): Promise<Map<string, CalibrationPart>> {
  const items = await db
    .selectFrom('annotation_item as i')
    .innerJoin('dry_run as d', 'd.id', 'i.transcript_id')
    .select(['i.transcript_id', 'i.stratum', 'd.scenario_content'])
    .where('i.study_id', '=', study.id)
    .execute();
  return calibrationSplit(
    items.map((i) => ({
      transcriptId: i.transcript_id,
      stratum: i.stratum,
      category: scenarioMeta(i.scenario_content).category,
    })),
    study.split_seed,
    study.learn_share,
  );
}
