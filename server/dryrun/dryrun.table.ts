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
  /** The benchmark run this transcript belongs to (null for a dry-run from the studio). */
  run_id: string | null;
  /** Scenario version, model, parameters, seed and repeat: a run reuses a finished transcript with the same key. */
  cache_key: string | null;
  /** The scenario this transcript ran a variant of, and its variables' values as JSON (migration 2026-11-30T0110-scenario-variants); null without variables. */
  variant_of: string | null;
  variant_values: string | null;
}
export type DryRunRow = Selectable<DryRunTable>;

/**
 * Events of a dry-run, appended in batches (see migration 2026-11-29T1600-dry-run-event-batches):
 * a running dry-run inserts the events since its last checkpoint, never rewriting earlier ones.
 */
export interface DryRunEventBatchTable {
  dry_run_id: string;
  /** Index in the transcript of this batch's first event: batches in this order are the transcript. */
  first_index: number;
  /** JSON array of TranscriptEvent. */
  events: string;
}
