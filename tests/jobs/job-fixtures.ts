import { expect } from 'vitest';
import { isFinishedJob, type Job, type JobAccepted } from '../../schema/api/jobs.ts';
import { budget } from '../support/budget.ts';

/** Reads a long action's 202 answer: the queued job. */
export async function acceptedJob(res: Response): Promise<JobAccepted> {
  expect(res.status, await res.clone().text()).toBe(202);
  return (await res.json()) as JobAccepted;
}

/** Waits (a load-scaled budget) until the job is over, and answers it as it ended. */
export async function waitForJob(
  server: { fetch(path: string, init?: RequestInit): Promise<Response> },
  jobId: string,
  quietBudgetMs = 30_000,
): Promise<Job> {
  let job: Job | undefined;
  await expect
    .poll(
      async () => {
        job = (await (await server.fetch(`/api/jobs/${jobId}`)).json()) as Job;
        return isFinishedJob(job.status);
      },
      { timeout: budget(quietBudgetMs), interval: 50 },
    )
    .toBe(true);
  return job!;
}

/** Starts a long action (its response is 202 with a job), waits until the job is done, and answers its result. */
export async function resultOfJob<T>(
  server: { fetch(path: string, init?: RequestInit): Promise<Response> },
  started: Promise<Response>,
  quietBudgetMs?: number,
): Promise<T> {
  const { jobId } = await acceptedJob(await started);
  const job = await waitForJob(server, jobId, quietBudgetMs);
  expect(job.status, job.error ?? '').toBe('done');
  return job.result as T;
}
