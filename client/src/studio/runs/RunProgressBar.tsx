import type { RunProgress } from '../../../../schema/api/runs.ts';
import runsStyles from './runs.module.css';
import styles from './RunProgressBar.module.css';

/** Done (fresh and from the cache), failed and in-flight items as one bar over the run's total. */
export function RunProgressBar({ progress, large }: { progress: RunProgress; large?: boolean }) {
  const { total, done, failed, running, cached } = progress;
  const share = (n: number) => `${total > 0 ? (100 * n) / total : 0}%`;
  const fresh = Math.max(0, done - cached);
  const finished = done + failed;
  const label = `${done} of ${total} done${cached ? ` (${cached} from the cache)` : ''}${failed ? `, ${failed} failed to run` : ''}${running ? `, ${running} running` : ''}`;
  return (
    <div
      className={large ? `${styles.runBar} ${styles.runBarLarge}` : styles.runBar}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={finished}
      aria-label={label}
      title={label}
      data-testid="run-progress-bar"
    >
      <span className={styles.runBarDone} style={{ width: share(fresh) }} />
      <span className={styles.runBarCached} style={{ width: share(Math.min(cached, done)) }} />
      <span className={styles.runBarFailed} style={{ width: share(failed) }} />
      <span className={styles.runBarRunning} style={{ width: share(running) }} />
    </div>
  );
}

/** "200 / 255" with the failures beside it, for tables. */
export function RunCounts({ progress }: { progress: RunProgress }) {
  return (
    <span className="run-counts" data-testid="run-counts">
      <strong>{progress.done}</strong>
      <span className="muted"> / {progress.total}</span>
      {progress.failed > 0 && <span className={runsStyles.runFailedCount}> · {progress.failed} failed to run</span>}
    </span>
  );
}
