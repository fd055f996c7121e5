import type { Generated, Selectable } from 'kysely';

/** One dry-run (see migration 2026-11-27T0200-dry-runs). */
export interface DryRunTable {
  id: string;
  scenario_id: string;
  content_hash: string;
  scenario_content: string;
  model: string;
  /** JSON ModelParams. */
  params: string;
  status: 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';
  started_at: string;
  finished_at: string | null;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cost_usd: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  error: string | null;
  red_flags: Generated<number>;
  /** JSON array of TranscriptEvent. */
  events: string;
  /** The benchmark run this transcript belongs to (null for a dry-run from the studio). */
  run_id: string | null;
  /** Scenario version, model, parameters, seed and repeat: a run reuses a finished transcript with the same key. */
  cache_key: string | null;
}
export type DryRunRow = Selectable<DryRunTable>;
