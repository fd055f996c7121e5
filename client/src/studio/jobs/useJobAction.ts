import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Job, JobAccepted } from '../../../../schema/api/jobs.ts';
import { followJob } from './jobs.api.ts';

/**
 * A long action run as a background job: `start` sends the request (which answers 202 with the
 * job) and follows the job's progress until it ends; `job` is the job as it is now (show it with
 * <JobProgress>), `busy` from the click until the job is over. Resolves with the ended job.
 * Following is a mutation of its own, so a caller resetting its mutation (to clear a message)
 * does not make a job still running look finished.
 */
export function useJobAction() {
  const [job, setJob] = useState<Job | null>(null);
  const follow = useMutation({
    mutationFn: async (request: () => Promise<JobAccepted>): Promise<Job> => {
      setJob(null);
      const accepted = await request();
      setJob(accepted.job);
      return followJob(accepted.jobId, setJob);
    },
  });
  return { job, start: follow.mutateAsync, busy: follow.isPending, clear: () => setJob(null) };
}
