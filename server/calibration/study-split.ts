import type { AnnotationStudyRow } from '../annotation/annotation.tables.ts';
import { scenarioMeta } from '../annotation/sampling.ts';
import type { Db } from '../db/database.ts';
import { calibrationSplit, type CalibrationPart } from './calibration-split.ts';

// A study's transcripts never change after it is made, so its split is computed once per study.
const splits = new Map<string, Map<string, CalibrationPart>>();

/** Which part (learn / held-out) each transcript of the study is in. */
export async function studySplit(db: Db, study: AnnotationStudyRow): Promise<Map<string, CalibrationPart>> {
  const key = `${study.id}|${study.split_seed}|${study.learn_share}`;
  const hit = splits.get(key);
  if (hit) return hit;
  const items = await db
    .selectFrom('annotation_item as i')
    .innerJoin('dry_run as d', 'd.id', 'i.transcript_id')
    .select(['i.transcript_id', 'i.stratum', 'd.scenario_content'])
    .where('i.study_id', '=', study.id)
    .execute();
  const split = calibrationSplit(
    items.map((i) => ({
      transcriptId: i.transcript_id,
      stratum: i.stratum,
      category: scenarioMeta(i.scenario_content).category,
    })),
    study.split_seed,
    study.learn_share,
  );
  if (splits.size > 200) splits.clear();
  splits.set(key, split);
  return split;
}
