import type { Generated, Selectable } from 'kysely';

/** Promotions made from a held-out comparison (migration 2026-11-29T1800-judge-promotions). */
export interface JudgePromotionTable {
  id: string;
  judge_version_id: string;
  previous_id: string | null;
  study_id: string;
  /** What the comparison said about the primary metric: ok, worse, or unknown (too few to tell). */
  guard: 'ok' | 'worse' | 'unknown';
  /** Required when the guard is not ok. */
  reason: Generated<string>;
  promoted_by: string | null;
  promoted_at: string;
}
export type JudgePromotionRow = Selectable<JudgePromotionTable>;
