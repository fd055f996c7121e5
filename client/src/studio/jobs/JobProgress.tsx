import { useMutation } from '@tanstack/react-query';
import type { Job } from '../../../../schema/api/jobs.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import styles from './JobProgress.module.css';
import { cancelJob } from './jobs.api.ts';

/**
 * A background job's progress where its action was started: a bar (done of total), the job's
 * message, and Cancel while it is queued or running. The job stays cancellable after a reload
 * (it runs in the server, not the page).
 */
export function JobProgress({ job, label }: { job: Job; label: string }) {
  // Asked stays true once the server took the cancel: the job's own stream then says it stopped.
  const cancel = useMutation({ mutationFn: () => cancelJob(job.id) });
  const asked = cancel.isPending || cancel.isSuccess;
  const { done, total, message } = job.progress;
  const active = job.status === 'queued' || job.status === 'running';
  const state =
    job.status === 'queued'
      ? 'waiting to start'
      : job.status === 'running'
        ? job.cancelRequested || asked
          ? 'cancelling…'
          : `${done} of ${total || '…'}`
        : job.status;
  return (
    <span className={styles.jobProgress} role="status" data-testid="job-progress" data-status={job.status}>
      <span className={styles.jobProgressLabel}>{label}</span>
      <progress max={Math.max(total, 1)} value={total ? done : 0} aria-label={label} />
      <span className="muted" data-testid="job-progress-state">
        {state}
        {message ? ` · ${message}` : ''}
      </span>
      {active && (
        <button
          type="button"
          className="btn btn-sm"
          data-testid="job-cancel"
          disabled={asked || job.cancelRequested}
          onClick={() => cancel.mutate()}
        >
          Cancel
        </button>
      )}
      {job.status === 'failed' && job.error && <span className="badge badge-error">{job.error}</span>}
      <ErrorMessage error={cancel.error} />
    </span>
  );
}
