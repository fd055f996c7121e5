import {
  computeCalibration,
  type CalibrationItem,
  type CalibrationReport,
} from '../calibration/calibration-metrics.ts';
import type { Db } from '../db/database.ts';

// How well the realism screen agrees with people: each accepted generated scenario that a
// realism study rated is one item, the screen's score on one side and the raters' scores on the
// other, through the same computation (and so the same metrics and intervals) as judge calibration.
// Realistic is 4 or more on both sides.

export const REALISTIC_AT = 4;

export interface RealismAgreement {
  studyId: string;
  /** Scenarios rated in the study that a realism screen scored. */
  scenarios: number;
  ratings: number;
  report: CalibrationReport;
}

export async function realismScreenAgreement(db: Db, studyId: string): Promise<RealismAgreement> {
  const rows = await db
    .selectFrom('realism_rating as r')
    .innerJoin('generation_candidate as g', 'g.scenario_id', 'r.scenario_id')
    .select(['r.scenario_id', 'r.realism', 'r.category', 'r.behavior', 'g.realism_score'])
    .where('r.study_id', '=', studyId)
    .where('g.status', '=', 'accepted')
    .where('g.realism_score', 'is not', null)
    .execute();
  const byScenario = new Map<
    string,
    CalibrationItem & { humans: { score: number; passMet: number[]; failMet: number[] }[] }
  >();
  for (const r of rows) {
    let item = byScenario.get(r.scenario_id);
    if (!item) {
      item = {
        id: r.scenario_id,
        category: r.category,
        behavior: r.behavior,
        judge: { score: r.realism_score!, passMet: [], failMet: [] },
        humans: [],
        passCriteria: 0,
        failCriteria: 0,
      };
      byScenario.set(r.scenario_id, item);
    }
    item.humans.push({ score: r.realism, passMet: [], failMet: [] });
  }
  const items = [...byScenario.values()];
  return {
    studyId,
    scenarios: items.length,
    ratings: rows.length,
    report: computeCalibration(items, { judgeThreshold: REALISTIC_AT, humanThreshold: REALISTIC_AT }),
  };
}
