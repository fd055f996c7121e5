import type { Generated, Selectable } from 'kysely';

/** Promotions of judge versions and the held-out comparison they were decided on (migrations 2026-11-29T1800-judge-promotions, 2026-12-01T1600-promotion-without-study). */
export interface JudgePromotionTable {
  id: string;
  judge_version_id: string;
  previous_id: string | null;
  /** The study whose held-out part compared the versions; null when no study did (the guard is then unknown). */
  study_id: string | null;
  /** What the comparison said about the primary metric: ok, worse, or unknown (too few to tell). */
  guard: 'ok' | 'worse' | 'unknown';
  /** Required when the guard is not ok. */
  reason: Generated<string>;
  promoted_by: string | null;
  promoted_at: string;
}
export type JudgePromotionRow = Selectable<JudgePromotionTable>;
