import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { isFinishedJob, type Job } from '../../../../schema/api/jobs.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { jobKeys } from '../../api/queryKeys.ts';
import { cancelJob, fetchJobs, watchJob } from './jobs.api.ts';
import frame from '../../components/PageFrame.module.css';
import styles from './jobs.module.css';

/** Names of the job kinds (server/jobs/job-kinds.ts); an unknown kind shows as it is. */
const KIND_LABELS: Record<string, string> = {
  'rejudge-run': 'Re-judge a run',
  'calibration-rejudge': 'Calibration re-judge',
  'generate-scenarios': 'Generate scenarios',
};

/** The shared badge colours (base.css) by status: a failure red, a cancel amber. */
const STATUS_BADGE: Record<Job['status'], string> = {
  queued: '',
  running: '',
  done: '',
  failed: 'badge-error',
  cancelled: 'badge-warning',
};

/** New jobs started elsewhere (another page, another person, the command line) appear within this. */
const LIST_REFRESH_MS = 5_000;

/**
 * Running jobs followed over their own event stream; the rest move with the list. A browser opens
 * at most six connections to a server over HTTP/1.1 and the studio keeps one for scenario changes:
 * a stream per job of a long list would leave the page's other requests waiting.
 */
const MAX_STREAMS = 3;

/**
 * Studio -> Jobs: the long actions running in the background on any server process (re-judging a
 * run, the calibration re-judge, generation), newest first: what, status, progress, when, who, and
 * Cancel while one is queued or running. Running jobs show their progress live.
 */
export function JobsPage() {
  const jobs = useQuery({ queryKey: jobKeys.list, queryFn: fetchJobs, refetchInterval: LIST_REFRESH_MS });
  const streamed = new Set(
    (jobs.data ?? [])
      .filter((j) => j.status === 'running')
      .slice(0, MAX_STREAMS)
      .map((j) => j.id),
  );
  return (
    <main className={frame.page}>
      <header className={frame.header}>
        <div>
          <h1>Jobs</h1>
          <p className="muted">
            Long actions run in the background on the server: they go on when you close the page, and come back after a
            restart. Cancel stops one at its next step.
          </p>
        </div>
      </header>
      {jobs.error && <ErrorMessage error={jobs.error} />}
      {jobs.data && jobs.data.length === 0 && (
        <div className={frame.empty} data-testid="jobs-empty">
          <p>No background jobs yet.</p>
          <p>
            They appear here when someone re-judges a run (on its page), re-judges in Calibration, or generates
            scenarios (Generation).
          </p>
        </div>
      )}
      {jobs.data && jobs.data.length > 0 && (
        <table className="data-table" data-testid="jobs-table">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Started</th>
              <th>Finished</th>
              <th>By</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((job) => (
              <JobRow key={job.id} listed={job} follow={streamed.has(job.id)} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

/** One job: as listed, and, when `follow`, as its event stream tells while it runs. */
function JobRow({ listed, follow }: { listed: Job; follow: boolean }) {
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Job | null>(null);
  // The cancelled job as the server answers it shows at once, before the stream or the list says so.
  const cancel = useMutation({ mutationFn: () => cancelJob(listed.id), onSuccess: (job) => setLive(job) });
  // The stream tells every change as it happens, the list every few seconds: the newer one is shown.
  const job = live && live.updatedAt >= listed.updatedAt ? live : listed;
  useEffect(() => {
    if (!follow) return;
    return watchJob(listed.id, (update) => {
      setLive(update);
      if (isFinishedJob(update.status)) void queryClient.invalidateQueries({ queryKey: jobKeys.list });
    });
  }, [follow, listed.id, queryClient]);
  const { done, total, message } = job.progress;
  const cancelling = job.status === 'running' && (job.cancelRequested || cancel.isPending || cancel.isSuccess);
  return (
    <tr data-testid="job-row" data-id={job.id} data-status={job.status}>
      <td>
        <div className={styles.jobKind} data-testid="job-kind">
          {KIND_LABELS[job.kind] ?? job.kind}
        </div>
        <JobSubject job={job} />
      </td>
      <td>
        <span className={`badge ${STATUS_BADGE[job.status]}`} data-testid="job-status">
          {cancelling ? 'cancelling…' : job.status}
        </span>
      </td>
      <td>
        <div className={styles.jobProgress}>
          <progress max={Math.max(total, 1)} value={total ? done : 0} aria-label="progress" />
          <span className="muted" data-testid="job-progress">
            {total ? `${done} of ${total}` : job.status === 'queued' ? 'waiting to start' : '…'}
            {message ? ` · ${message}` : ''}
          </span>
        </div>
        {job.status === 'failed' && job.error && <div className={styles.jobError}>{job.error}</div>}
      </td>
      <td>{when(job.startedAt ?? job.createdAt)}</td>
      <td>{job.finishedAt ? when(job.finishedAt) : '—'}</td>
      <td data-testid="job-started-by">{job.startedByName ?? 'command line'}</td>
      <td>
        {(job.status === 'queued' || job.status === 'running') && (
          <button
            type="button"
            className="btn btn-sm"
            data-testid="job-cancel"
            disabled={cancelling}
            onClick={() => cancel.mutate()}
          >
            Cancel
          </button>
        )}
        <ErrorMessage error={cancel.error} />
      </td>
    </tr>
  );
}

/** What the job works on, where the studio has a page for it. */
function JobSubject({ job }: { job: Job }) {
  // A job's params are its kind's own (unknown here): read, not assumed.
  const { params } = job;
  const runId = typeof params === 'object' && params !== null && 'runId' in params ? params.runId : undefined;
  if (typeof runId === 'string')
    return (
      <Link href={`/studio/runs/${runId}`} className="muted">
        run {runId.slice(0, 8)}
      </Link>
    );
  return <div className="mono muted">{job.id.slice(0, 8)}</div>;
}

const when = (iso: string) => new Date(iso).toLocaleString();
