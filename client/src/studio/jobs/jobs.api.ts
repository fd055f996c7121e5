import { JobListSchema, JobSchema, isFinishedJob, type Job } from '../../../../schema/api/jobs.ts';
import { api, readJson } from '../../api/client.ts';

// Background jobs (re-judging a run, the calibration re-judge, generation): an action's start
// endpoint answers 202 with the queued job; followJob shows its progress until it is over.

export async function cancelJob(id: string): Promise<Job> {
  return JobSchema.parse(await readJson(await api.jobs[':id'].cancel.$post({ param: { id } })));
}

/** The most recent background jobs, newest first (the jobs panel). */
export async function fetchJobs(): Promise<Job[]> {
  return JobListSchema.parse(await readJson(await api.jobs.$get({ query: {} }))).jobs;
}

export async function fetchJob(id: string): Promise<Job> {
  return JobSchema.parse(await readJson(await api.jobs[':id'].$get({ param: { id } })));
}

/**
 * Follows a job over its event stream (GET /api/jobs/:id/events), calling `onUpdate` with each
 * change, and resolves with the job as it ended (done, failed or cancelled). A dropped stream
 * reconnects (EventSource does it by itself); the job is read once more at the end, so the
 * answer is the stored one.
 */
export function followJob(id: string, onUpdate: (job: Job) => void): Promise<Job> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`);
    const finish = () => {
      source.close();
      fetchJob(id).then((job) => {
        onUpdate(job);
        resolve(job);
      }, reject);
    };
    source.addEventListener('job', (e) => {
      const parsed = JobSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
      if (!parsed.success) return;
      onUpdate(parsed.data);
      if (isFinishedJob(parsed.data.status)) finish();
    });
    source.addEventListener('end', finish);
  });
}

/**
 * Watches a job over its event stream while a page shows it: `onUpdate` gets each change until the
 * job is over. Answers the function that stops watching (the page went away).
 */
export function watchJob(id: string, onUpdate: (job: Job) => void): () => void {
  const source = new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`);
  source.addEventListener('job', (e) => {
    const parsed = JobSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
    if (!parsed.success) return;
    onUpdate(parsed.data);
    if (isFinishedJob(parsed.data.status)) source.close();
  });
  // The stream ends with the job: closing keeps EventSource from connecting again.
  source.addEventListener('end', () => source.close());
  return () => source.close();
}
