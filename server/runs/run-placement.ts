import { z } from 'zod';

const RunEnvSchema = z.object({
  /**
   * server (default): a server process runs the items of the runs it starts (workers may help);
   * workers: it leaves them to `npm run crucible -- worker` processes.
   */
  CRUCIBLE_RUN_ITEMS: z.enum(['server', 'workers'], { message: 'use server or workers' }).default('server'),
  /** How long a claim on a run item lasts without renewal: a killed process's items run again after it. */
  CRUCIBLE_RUN_LEASE_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
});

export interface RunPlacement {
  placement: 'server' | 'workers';
  leaseMs: number;
}

/** Where run items are run, and their lease, from the environment (README: Configuration); throws naming the bad variable. */
export function runPlacementFrom(env: NodeJS.ProcessEnv): RunPlacement {
  const parsed = RunEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { placement: parsed.data.CRUCIBLE_RUN_ITEMS, leaseMs: parsed.data.CRUCIBLE_RUN_LEASE_MS };
}
