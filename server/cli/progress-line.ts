import type { Job } from '../../schema/api/jobs.ts';
import type { RunProgress } from '../../schema/api/runs.ts';

/** `[#####.....] 412/904 done, 3 failed, 37/min, 13m left, 21 retries` */
export function progressLine(p: RunProgress, width = 30): string {
  const finished = p.done + p.failed;
  const filled = p.total ? Math.round((finished / p.total) * width) : 0;
  const left =
    p.secondsLeft === null
      ? '?'
      : p.secondsLeft > 90
        ? `${Math.round(p.secondsLeft / 60)}m`
        : `${Math.round(p.secondsLeft)}s`;
  const rate = p.itemsPerMinute === null ? '?' : p.itemsPerMinute.toFixed(0);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${p.total} done, ${p.failed} failed, ${p.cached} cached, ${rate}/min, ${left} left, ${p.retries} retries`;
}

/** `rejudge-run [#####.....] 120/255 running: 118 scored, 2 judge errors` */
export function jobProgressLine(job: Job, width = 30): string {
  const { done, total, message } = job.progress;
  const filled = total ? Math.min(width, Math.round((done / total) * width)) : 0;
  const state = job.cancelRequested && job.status === 'running' ? 'cancelling' : job.status;
  return `${job.kind} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${state}${message ? `: ${message}` : ''}`;
}
