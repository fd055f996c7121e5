import { useCallback, useState } from 'react';
import type { Job, JobAccepted } from '../../../../schema/api/jobs.ts';
import { followJob } from './jobs.api.ts';

/**
 * A long action run as a background job: `start` sends the request (which answers 202 with the
 * job) and follows the job's progress until it ends; `job` is the job as it is now (show it with
 * <JobProgress>), `busy` from the click until the job is over. Resolves with the ended job.
 */
export function useJobAction() {
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const start = useCallback(async (request: () => Promise<JobAccepted>): Promise<Job> => {
    setJob(null);
    setBusy(true);
    try {
      const accepted = await request();
      setJob(accepted.job);
      return await followJob(accepted.jobId, setJob);
    } finally {
      setBusy(false);
    }
  }, []);
  return { job, start, busy, clear: () => setJob(null) };
}
