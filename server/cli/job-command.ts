import type { Job } from '../../schema/api/jobs.ts';
import { findJob, jobView } from '../jobs/job.repository.ts';
import type { Services } from '../services.ts';
import { jobProgressLine } from './progress-line.ts';

/**
 * Runs a job the command line has just queued in this process, printing its progress line on
 * stderr (rewritten in place on a terminal, every 2 s otherwise) until it ends. Ctrl-C cancels it.
 */
export async function runJobInCli(services: Services, queued: Job): Promise<Job> {
  const tty = process.stderr.isTTY;
  let last = '';
  let lastAt = 0;
  const show = (job: Job, force = false) => {
    const line = jobProgressLine(job);
    if (line === last && !force) return;
    if (tty) process.stderr.write(`\r${line}`);
    else if (force || Date.now() - lastAt > 2000) console.error(line);
    last = line;
    lastAt = Date.now();
  };
  const cancel = () => {
    console.error(`\ncancelling job ${queued.id}: finished steps are kept`);
    void services.jobs.cancel(queued.id);
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const ticker = setInterval(
    () =>
      void findJob(services.db, queued.id).then((row) => {
        if (row) show(jobView(row));
      }),
    250,
  );
  try {
    const ended = (await services.jobs.runNow(queued.id)) ?? queued;
    show(ended, true);
    if (tty) process.stderr.write('\n');
    return ended;
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}
