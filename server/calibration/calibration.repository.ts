import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { PromotionGuard } from './promotion-guard.ts';

/** Records a promotion of a judge version: the study compared on (null: none), the guard's verdict and the person's reason. */
export async function recordPromotion(
  db: Db,
  p: {
    candidateId: string;
    previousId: string | null;
    studyId: string | null;
    guard: PromotionGuard['status'];
    reason: string;
    by: string;
  },
): Promise<void> {
  await db
    .insertInto('judge_promotion')
    .values({
      id: randomUUID(),
      judge_version_id: p.candidateId,
      previous_id: p.previousId,
      study_id: p.studyId,
      guard: p.guard,
      reason: p.reason,
      promoted_by: p.by,
      promoted_at: new Date().toISOString(),
    })
    .execute();
}
