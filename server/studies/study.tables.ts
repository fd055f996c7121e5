import type { Generated, Selectable } from 'kysely';

/** Tables of realism studies (see migration 2026-11-27T0400-realism-studies). */
export interface StudyTable {
  id: string;
  name: string;
  instructions: string;
  raters_per_item: number;
  batch_size: number;
  min_ratings: number;
  min_mean: number;
  max_attention_failures: number;
  /** JSON {1..5: label}. */
  anchors: string;
  /** JSON StudyFilter. */
  filter: string;
  completion_code: string;
  completion_url: string | null;
  /** Skips a crowd participant may make in their batch. */
  max_skips: Generated<number>;
  /** 1: a crowd participant must arrive with the platform's STUDY_ID and SESSION_ID. */
  require_platform_ids: Generated<number>;
  status: 'open' | 'closed';
  created_by: string | null;
  created_at: string;
}

export interface StudyItemTable {
  study_id: string;
  scenario_id: string;
  gold_min: number | null;
  gold_max: number | null;
}

export interface StudyRaterTable {
  study_id: string;
  rater_id: string;
  joined_at: string;
}

export interface LeaseTable {
  id: string;
  study_id: string;
  scenario_id: string;
  content_hash: string;
  /** The rater view's hash when leased (null for leases made before it was recorded). */
  rater_view_hash: string | null;
  rater_id: string;
  created_at: string;
  expires_at: string;
}

export interface RealismRatingTable {
  id: string;
  study_id: string;
  scenario_id: string;
  content_hash: string;
  /** What the rater saw, hashed: the rating is current while the scenario's rater view is the same (null: rated before it was recorded, current by content hash only until the index fills it in). */
  rater_view_hash: string | null;
  category: string;
  behavior: string;
  rater_id: string;
  realism: number;
  /** Always 'realism-1-5-higher-more-realistic'. */
  scale: Generated<string>;
  /** JSON RealismFlag[]. */
  flags: string;
  comment: string;
  leased_at: string;
  created_at: string;
  /** The scenario whose variant this row is of (scenario_id is then the variant id, where the table has one) and its variables' values as JSON (migration 2026-11-30T0110-scenario-variants); null without variables. */
  variant_of: string | null;
  variant_values: string | null;
}

/** An answer a rater replaced by going back to a rating (see migration 2026-11-30T0910-rating-revisions). */
export interface RealismRatingRevisionTable {
  id: string;
  rating_id: string;
  realism: number;
  /** JSON RealismFlag[]. */
  flags: string;
  comment: string;
  /** When the replaced answer was given. */
  rated_at: string;
  revised_at: string;
}

export interface RatingSkipTable {
  study_id: string;
  scenario_id: string;
  rater_id: string;
  created_at: string;
}

export interface ScenarioEditorTable {
  scenario_id: string;
  user_id: string;
}
export type StudyTableRow = Selectable<StudyTable>;
