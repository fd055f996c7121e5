import type { Generated, Selectable } from 'kysely';

/** Tables of benchmark runs (see migration 2026-11-27T0800-runs). */
export interface RunTable {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'stopped' | 'completed' | 'failed';
  /** JSON RunSettings. */
  settings: string;
  judge_version_id: string | null;
  retries: Generated<number>;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RunItemTable {
  id: string;
  run_id: string;
  scenario_id: string;
  content_hash: string;
  scenario_content: string;
  category: string;
  behavior: string;
  model: string;
  repeat: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  dry_run_id: string | null;
  attempts: Generated<number>;
  cached: Generated<number>;
  error: string | null;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cost_usd: number | null;
  finished_at: string | null;
  /** What judging this item took (migration 2026-11-29T1900-run-judge-usage): the judge model, its tokens and cost. */
  judge_model: string | null;
  judge_input_tokens: Generated<number>;
  judge_output_tokens: Generated<number>;
  judge_cost_usd: number | null;
  /** The scenario whose variant this row is of (scenario_id is then the variant id, where the table has one) and its variables' values as JSON (migration 2026-11-30T0110-scenario-variants); null without variables. */
  variant_of: string | null;
  variant_values: string | null;
}
export type RunRow = Selectable<RunTable>;
export type RunItemRow = Selectable<RunItemTable>;
