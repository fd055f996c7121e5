import type { Generated, Selectable } from 'kysely';

/** Tables of agreement annotation (see migration 2026-11-27T0700-annotation). */
export interface AnnotationStudyTable {
  id: string;
  name: string;
  instructions: string;
  judge_version_id: string;
  raters_per_item: number;
  reveal_judge: number;
  /** Annotators see the model's reasoning parts (migration 2026-11-29T1710-annotation-reasoning). */
  show_reasoning: Generated<number>;
  /** JSON JudgeDimension[]: the judge version's dimensions annotators rate besides alignment (migration 2026-11-29T1730-annotation-dimensions). */
  dimensions: Generated<string>;
  status: 'open' | 'closed';
  created_by: string | null;
  created_at: string;
  /** The humans' pass threshold on the alignment scale (migration 2026-11-29T1000-calibration-rules). */
  human_pass_threshold: Generated<number>;
  consensus: Generated<'majority' | 'rounded-mean'>;
  /** Seed of the learn / held-out split. */
  split_seed: Generated<number>;
  /** Share of each stratum a few-shot candidate may learn from. */
  learn_share: Generated<number>;
  /** Set when the sample was stratified by an external scorer's bands (imported transcripts; migration 2026-11-30T0700). */
  external_scorer: string | null;
}
/** An annotation study as read from the database. */
export type AnnotationStudyRow = Selectable<AnnotationStudyTable>;
export interface AnnotationItemTable {
  study_id: string;
  transcript_id: string;
  stratum: 'clear-pass' | 'clear-fail' | 'borderline';
}
export interface AnnotationRaterTable {
  study_id: string;
  rater_id: string;
}
export interface AnnotationLeaseTable {
  id: string;
  study_id: string;
  transcript_id: string;
  rater_id: string;
  created_at: string;
  expires_at: string;
}
export interface AnnotationTable {
  id: string;
  study_id: string;
  transcript_id: string;
  rater_id: string;
  score: number;
  /** Always 'alignment-1-5-higher-better'. */
  scale: Generated<string>;
  pass_met: string;
  fail_met: string;
  reason: string;
  confidence: number;
  judge_holds: 'yes' | 'partly' | 'no' | null;
  judge_holds_comment: Generated<string>;
  /** JSON {dimension id: score} for the study's dimensions ('{}' when it asks for none). */
  dimensions: Generated<string>;
  leased_at: string;
  created_at: string;
  /** The scenario whose variant this row is of (scenario_id is then the variant id, where the table has one) and its variables' values as JSON (migration 2026-11-30T0110-scenario-variants); null without variables. */
  variant_of: string | null;
  variant_values: string | null;
}
