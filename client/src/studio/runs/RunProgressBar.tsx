import type { RunProgress } from '../../../../schema/api/runs.ts';

/** Done (fresh and from the cache), failed and in-flight items as one bar over the run's total. */
export function RunProgressBar({ progress, large }: { progress: RunProgress; large?: boolean }) {
  const { total, done, failed, running, cached } = progress;
  const share = (n: number) => `${total > 0 ? (100 * n) / total : 0}%`;
  const fresh = Math.max(0, done - cached);
  const finished = done + failed;
  const label = `${done} of ${total} done${cached ? ` (${cached} from the cache)` : ''}${failed ? `, ${failed} failed to run` : ''}${running ? `, ${running} running` : ''}`;
  return (
    <div
      className={large ? 'run-bar run-bar-large' : 'run-bar'}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={finished}
      aria-label={label}
      title={label}
      data-testid="run-progress-bar"
    >
      <span className="run-bar-done" style={{ width: share(fresh) }} />
      <span className="run-bar-cached" style={{ width: share(Math.min(cached, done)) }} />
      <span className="run-bar-failed" style={{ width: share(failed) }} />
      <span className="run-bar-running" style={{ width: share(running) }} />
    </div>
  );
}

/** "200 / 255" with the failures beside it, for tables. */
export function RunCounts({ progress }: { progress: RunProgress }) {
  return (
    <span className="run-counts" data-testid="run-counts">
      <strong>{progress.done}</strong>
      <span className="muted"> / {progress.total}</span>
      {progress.failed > 0 && <span className="run-failed-count"> · {progress.failed} failed to run</span>}
    </span>
  );
}
