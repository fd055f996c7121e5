import type { Generated } from 'kysely';
import type { CandidateStatus } from '../../schema/generation.ts';

/**
 * Tables of generation jobs (see migration 2026-11-30T0600-generation). A generation job is a
 * background job (table job, kind generate-scenarios) of the same id; its status lives there.
 */
export interface GenerationJobTable {
  id: string;
  /** JSON GenerationJobSettings (the job's parameters, defaults applied). */
  settings: string;
  created_at: string;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  /** Null while no model used has prices. */
  cost_usd: number | null;
}

export interface GenerationCandidateTable {
  id: string;
  job_id: string;
  position: number;
  behavior: string;
  /** JSON: the variation values this candidate was asked for ({dimension: value}). */
  variation: string;
  status: CandidateStatus;
  /** The id the scenario got (and, once accepted, its file's name). */
  scenario_id: string | null;
  yaml: string | null;
  /** JSON CandidateScreens. */
  screens: string | null;
  /** Why it was dropped, screened out or rejected. */
  reason: string | null;
  /** 1 when the proposal passed only after the repair call. */
  repaired: Generated<number>;
  nearest_id: string | null;
  nearest_similarity: number | null;
  realism_score: number | null;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cost_usd: number | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  updated_at: string;
}

// The generation tables join the app's Database type here, beside their owner (as server/jobs does).
declare module '../db/database.ts' {
  interface Database {
    generation_job: GenerationJobTable;
    generation_candidate: GenerationCandidateTable;
  }
}
