import type { Context } from 'hono';
import type { JudgeVersion } from '../../schema/judge.ts';
import { loadCalibrationRows, type CalibrationRow } from '../annotation/calibration-data.ts';
import type { AnnotationStudyRow } from '../annotation/annotation.tables.ts';
import type { Db } from '../db/database.ts';
import { apiError } from '../http/errors.ts';
import { promoteJudgeVersion } from '../judge/judge.repository.ts';
import type { PairedComparison } from './calibration-metrics.ts';
import { comparePairedOffThread } from './calibration-thread.ts';
import { recordPromotion } from './calibration.repository.ts';
import { promotionGuard, type PromotionGuard } from './promotion-guard.ts';
import { studySplit } from './study-split.ts';

/** Reads a study's annotated rows for a judge version (the calibration routes pass their cached reader). */
export type CalibrationRowsReader = (studyId: string, judgeVersionId: string) => Promise<CalibrationRow[]>;

const uncachedRows: (db: Db) => CalibrationRowsReader = (db) => (studyId, versionId) =>
  loadCalibrationRows(db, studyId, versionId);

/** The held-out comparison of a candidate with the current version on one study, and what it says about promoting. */
export async function heldOutComparison(
  db: Db,
  study: AnnotationStudyRow,
  current: JudgeVersion,
  candidate: JudgeVersion,
  readRows: CalibrationRowsReader = uncachedRows(db),
): Promise<{ comparison: PairedComparison; guard: PromotionGuard }> {
  const split = await studySplit(db, study);
  const heldOut = async (versionId: string) =>
    (await readRows(study.id, versionId)).filter((r) => split.get(r.id) === 'heldout');
  // On the calibration thread: a paired bootstrap of both versions would hold the event loop.
  const comparison = await comparePairedOffThread(await heldOut(current.id), await heldOut(candidate.id), {
    humanThreshold: study.human_pass_threshold,
    consensus: study.consensus,
    judgeThreshold: current.settings.passThreshold,
    candidateThreshold: candidate.settings.passThreshold,
  });
  return { comparison, guard: promotionGuard(comparison) };
}

/** What a promotion is decided on: the study whose held-out part compares the two versions (null: none does). */
export interface PromotionEvidence {
  study: AnnotationStudyRow | null;
  guard: PromotionGuard;
}

/**
 * The evidence for a promotion asked for without a study (the judges page): of the annotation studies
 * in which both versions judged a transcript, the one whose held-out part has the most transcripts both
 * judged (ties: the newest study). No such study: the guard is unknown, so a reason is required.
 */
export async function bestPromotionEvidence(
  db: Db,
  current: JudgeVersion,
  candidate: JudgeVersion,
): Promise<PromotionEvidence> {
  const judgedBy = (versionId: string) =>
    db.selectFrom('judgement').select('transcript_id').where('judge_version_id', '=', versionId);
  const studies = await db
    .selectFrom('annotation_study as s')
    .selectAll('s')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('annotation_item as i')
          .select('i.transcript_id')
          .whereRef('i.study_id', '=', 's.id')
          .where('i.transcript_id', 'in', judgedBy(current.id))
          .where('i.transcript_id', 'in', judgedBy(candidate.id)),
      ),
    )
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id')
    .execute();
  let best: (PromotionEvidence & { n: number }) | null = null;
  for (const study of studies) {
    const { comparison, guard } = await heldOutComparison(db, study, current, candidate);
    if (!best || comparison.n > best.n) best = { study, guard, n: comparison.n };
  }
  if (best && best.n > 0) return { study: best.study, guard: best.guard };
  return {
    study: null,
    guard: {
      status: 'unknown',
      message:
        'no annotation study has held-out transcripts both versions judged, so nothing shows whether the candidate is worse.',
    },
  };
}

export type PromotionOutcome =
  | { promoted: true; guard: PromotionGuard; studyId: string | null }
  | { promoted: false; reason: 'no-such-version' }
  | { promoted: false; reason: 'reason-required'; guard: PromotionGuard; studyId: string | null };

/**
 * The one way a judge version becomes the default (the calibration page and the judges page both come
 * here): when the held-out comparison with the current version does not clear it on the primary metric,
 * only with a reason; every promotion is recorded in judge_promotion with the guard's verdict and the reason.
 * `study`: the study the comparison is made on; 'best' picks it (bestPromotionEvidence).
 */
export async function promoteGuarded(
  db: Db,
  p: {
    candidate: JudgeVersion;
    current: JudgeVersion | null;
    study: AnnotationStudyRow | 'best';
    reason: string;
    by: string;
    readRows?: CalibrationRowsReader;
  },
): Promise<PromotionOutcome> {
  const { candidate, current } = p;
  let evidence: PromotionEvidence;
  if (!current || current.id === candidate.id)
    evidence = { study: null, guard: { status: 'ok', message: 'there is no other default version to compare with.' } };
  else if (p.study === 'best') evidence = await bestPromotionEvidence(db, current, candidate);
  else
    evidence = { study: p.study, guard: (await heldOutComparison(db, p.study, current, candidate, p.readRows)).guard };
  const studyId = evidence.study?.id ?? null;
  if (evidence.guard.status !== 'ok' && !p.reason)
    return { promoted: false, reason: 'reason-required', guard: evidence.guard, studyId };
  if (!(await promoteJudgeVersion(db, candidate.id))) return { promoted: false, reason: 'no-such-version' };
  await recordPromotion(db, {
    candidateId: candidate.id,
    previousId: current?.id ?? null,
    studyId,
    guard: evidence.guard.status,
    reason: p.reason,
    by: p.by,
  });
  return { promoted: true, guard: evidence.guard, studyId };
}

/** The answer to a promotion the guard does not clear and no reason came with: 422, the issue on `reason`. */
export function reasonRequired(c: Context, guard: PromotionGuard) {
  const message = `${guard.message} Say why you promote it anyway.`;
  return apiError(c, 422, 'validation_failed', `reason: ${message}`, [{ path: ['reason'], message }]);
}
