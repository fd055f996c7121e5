import { useCallback, useState } from 'react';
import { isFinishedJob, type Job, type JobAccepted } from '../../../../schema/api/jobs.ts';
import { followJob } from './jobs.api.ts';

/**
 * A long action run as a background job: `start` sends the request (which answers 202 with the
 * job) and follows the job's progress until it ends; `job` is the job as it is now (show it with
 * <JobProgress>), `busy` while it is queued or running. Resolves with the ended job.
 */
export function useJobAction() {
  const [job, setJob] = useState<Job | null>(null);
  const start = useCallback(async (request: () => Promise<JobAccepted>): Promise<Job> => {
    setJob(null);
    const accepted = await request();
    setJob(accepted.job);
    return followJob(accepted.jobId, setJob);
  }, []);
  return { job, start, busy: job !== null && !isFinishedJob(job.status), clear: () => setJob(null) };
}
