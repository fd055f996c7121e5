import type { Generated } from 'kysely';

/** A background job (migration 2026-11-30T0500-jobs); see job-kind.ts for what a job is. */
export interface JobTable {
  id: string;
  kind: string;
  /** JSON: the kind's parameters, as its zod schema parsed them. */
  params: string;
  status: JobStatus;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  progress_message: string | null;
  /** JSON: what the job has finished so far, saved by the kind; handed back when it resumes. */
  checkpoint: string | null;
  /** JSON: what the kind returned (status done). */
  result: string | null;
  /** Why it failed (status failed), key values blanked. */
  error: string | null;
  /** 1 once someone asked to cancel a running job; its holder sees it at the next renewal. */
  cancel_requested: Generated<number>;
  /** Which runner holds it, and until when (ISO); an expired lease lets another runner take it over. */
  lease_owner: string | null;
  lease_until: string | null;
  /** How many times a runner has claimed it (1 on a first run, more after each resume). */
  attempts: Generated<number>;
  /** The user who started it (null: the command line). */
  started_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

// The job table joins the app's Database type here, beside its owner, rather than in database.ts.
declare module '../db/database.ts' {
  interface Database {
    job: JobTable;
  }
}
