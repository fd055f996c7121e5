import { z } from 'zod';

// Background jobs: long actions (re-judging a run, the calibration re-judge, generation) that are
// queued, run in the background with progress, survive a restart and can be cancelled.

export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** A job as the API shows it (GET /api/jobs/:id, and each `job` event of its SSE stream). */
export const JobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  params: z.unknown(),
  status: JobStatusSchema,
  progress: z.object({ done: z.number(), total: z.number(), message: z.string().nullable() }),
  /** What the job returned, once done (its shape is the kind's). */
  result: z.unknown().nullable(),
  /** Why it failed. */
  error: z.string().nullable(),
  /** Someone asked to cancel it; it stops at its next check. */
  cancelRequested: z.boolean(),
  /** Times a runner took it up: more than 1 once it was resumed after a restart. */
  attempts: z.number(),
  /** The user who started it (null: the command line), and their name. */
  startedBy: z.string().nullable(),
  startedByName: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When anything about it last changed (progress included): the newer of two views of one job wins. */
  updatedAt: z.string(),
});
export type Job = z.infer<typeof JobSchema>;

// GET /api/jobs?kind=&status=&limit=: the most recent jobs, newest first
export const JobListSchema = z.object({ jobs: z.array(JobSchema) });
export type JobList = z.infer<typeof JobListSchema>;

/** A job is over: it will not change again. */
export const isFinishedJob = (status: JobStatus) => status === 'done' || status === 'failed' || status === 'cancelled';

// A start endpoint of a long action answers 202 with the job it queued:
export const JobAcceptedSchema = z.object({ jobId: z.string(), job: JobSchema });
export type JobAccepted = z.infer<typeof JobAcceptedSchema>;
