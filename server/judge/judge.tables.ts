import type { Generated, Selectable } from 'kysely';

/** Tables of judges (see migration 2026-11-27T0600-judges). */
export interface JudgeVersionTable {
  id: string;
  name: string;
  version: number;
  /** JSON JudgeSettings. */
  settings: string;
  reason: string;
  created_by: string | null;
  created_at: string;
  parent_id: string | null;
  is_default: Generated<number>;
}

export interface JudgementTable {
  id: string;
  transcript_id: string;
  judge_version_id: string;
  status: 'scored' | 'error';
  scale: string;
  score: number | null;
  judge_score: number | null;
  passed: number | null;
  red_flagged: number;
  pass_met: string;
  fail_met: string;
  evidence: string;
  rationale: string | null;
  samples: string;
  attempts: number;
  error: string | null;
  /** Transcript entries the judge did not see (middle-elided to fit its context budget); 0: none. */
  elided_entries: Generated<number>;
  /** JSON DimensionScore[] of the extra dimensions (migration 2026-11-29T1720-judgement-dimensions); '[]' for primary-only verdicts. */
  dimensions: Generated<string>;
  created_at: string;
  /** The scenario whose variant this row is of (scenario_id is then the variant id, where the table has one) and its variables' values as JSON (migration 2026-11-30T0110-scenario-variants); null without variables. */
  variant_of: string | null;
  variant_values: string | null;
  /** JSON ToolExpectationReport (migration 2026-11-30T0200-judgement-tool-expectations); null: the scenario stated none. */
  tool_expectations: string | null;
}
export type JudgeVersionRow = Selectable<JudgeVersionTable>;
export type JudgementRow = Selectable<JudgementTable>;
