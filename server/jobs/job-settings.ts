import { z } from 'zod';
import type { JobRunnerOptions } from './job.runner.ts';

const JobEnvSchema = z.object({
  /** How long a job's claim lasts without renewal: a crashed server's jobs are resumed after it. */
  CRUCIBLE_JOB_LEASE_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
  /** Background jobs one server process runs at once. */
  CRUCIBLE_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
});

/** The job runner's settings from the environment (README: Configuration); throws naming the bad variable. */
export function jobRunnerSettings(env: NodeJS.ProcessEnv): JobRunnerOptions {
  const parsed = JobEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { leaseMs: parsed.data.CRUCIBLE_JOB_LEASE_MS, concurrency: parsed.data.CRUCIBLE_JOB_CONCURRENCY };
}
