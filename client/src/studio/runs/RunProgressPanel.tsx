import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RunProgress, RunSummary } from '../../../../schema/api/runs.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { RunProgressBar } from './RunProgressBar.tsx';
import { RunItemErrors } from './RunItemErrors.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { resumeRun, retryFailedItems, stopRun } from './runs.api.ts';
import { costWords, durationWords } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './RunProgressPanel.module.css';

/**
 * A run's progress, live while it runs: counts, rate, time left, retries, tokens and cost per model, why items failed;
 * Stop, Resume (pending items) and Retry failed items (after an outage, say).
 */
export function RunProgressPanel({ run, progress }: { run: RunSummary; progress: RunProgress }) {
  const queryClient = useQueryClient();
  // Stop, resume or retry; the run is read again after each, refused or not.
  const action = useMutation({
    mutationFn: async (kind: 'stop' | 'resume' | 'retry') => {
      await (kind === 'stop' ? stopRun(run.id) : kind === 'resume' ? resumeRun(run.id) : retryFailedItems(run.id));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.all }),
  });
  /** The action under way, if any. */
  const busy = action.isPending ? action.variables : null;
  const { error } = action;
  const active = run.status === 'running' || run.status === 'queued';
  const unfinished = progress.total - progress.done - progress.failed;
  // A run left "running" by a server restart makes no progress: the rate over the last two minutes drops to zero.
  const stalled = active && unfinished > 0 && progress.itemsPerMinute === 0;
  const canResume = (!active && unfinished > 0) || stalled;
  const byName = (a: [string, unknown], b: [string, unknown]) => a[0].localeCompare(b[0]);
  const usageRows = [
    ...Object.entries(progress.tokens)
      .sort(byName)
      .map(([model, t]) => ({ role: 'target', model, t })),
    ...Object.entries(progress.judgeTokens ?? {})
      .sort(byName)
      .map(([model, t]) => ({ role: 'judge', model, t })),
  ];

  const act = (kind: 'stop' | 'resume' | 'retry') => action.mutate(kind);

  return (
    <section
      className={`${results.panel} ${runsStyles.runProgress}`}
      aria-labelledby="progress-title"
      data-testid="run-progress"
    >
      <div className={styles.runProgressHead}>
        <h2 id="progress-title">{active ? 'Running' : run.status === 'completed' ? 'Finished' : 'Progress'}</h2>
        <span className={styles.runProgressCount} data-testid="progress-count">
          <strong>{progress.done}</strong> of {progress.total} done
          {progress.failed > 0 && <span className={runsStyles.runFailedCount}> · {progress.failed} failed to run</span>}
        </span>
        <span className="spacer" />
        {active && (
          <button
            type="button"
            className="btn btn-danger-quiet"
            disabled={busy !== null}
            data-testid="stop-run"
            onClick={() => void act('stop')}
          >
            {busy === 'stop' ? 'Stopping… (letting items in flight finish)' : 'Stop'}
          </button>
        )}
        {canResume && (
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            data-testid="resume-run"
            onClick={() => void act('resume')}
          >
            {busy === 'resume' ? 'Resuming…' : 'Resume'}
          </button>
        )}
        {!active && progress.failed > 0 && (
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            data-testid="retry-failed"
            title="Put the items that failed to run back in the queue, with their tries starting again, and run them"
            onClick={() => void act('retry')}
          >
            {busy === 'retry' ? 'Retrying…' : `Retry failed items (${progress.failed})`}
          </button>
        )}
        {stalled && (
          <span className="muted">
            No item finished in the last two minutes: if the server restarted, resume the run.
          </span>
        )}
      </div>
      <RunProgressBar progress={progress} large />
      <RunItemErrors runId={run.id} failed={progress.failed} active={active} />
      <dl className={styles.runFigures}>
        <Figure label="Done" value={progress.done} testId="fig-done" />
        <Figure label="From the cache" value={progress.cached} testId="fig-cached" />
        <Figure label="Failed to run" value={progress.failed} bad={progress.failed > 0} testId="fig-failed" />
        {progress.running > 0 && <Figure label="In flight" value={progress.running} />}
        <Figure
          label="Rate"
          value={progress.itemsPerMinute === null ? '—' : `${Math.round(progress.itemsPerMinute)}/min`}
          testId="fig-rate"
        />
        <Figure label="Time left" value={active ? durationWords(progress.secondsLeft) : '—'} testId="fig-left" />
        <Figure
          label="Retries"
          value={progress.retries}
          testId="fig-retries"
          title="Provider calls tried again after a 429, a 5xx or a dropped connection (targets and judge, each retry counted), and items started again after a timeout"
        />
      </dl>
      {usageRows.length > 0 && (
        <table className={runsStyles.runTokens} data-testid="run-tokens">
          <thead>
            <tr>
              <th>Model</th>
              <th>Role</th>
              <th className="num">Input tokens</th>
              <th className="num">Output tokens</th>
              <th className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {usageRows.map(({ role, model, t }) => (
              <tr key={`${role} ${model}`} data-testid={`tokens-${role}-${model}`}>
                <td className="mono">{model}</td>
                <td>{role}</td>
                <td className="num">{t.input.toLocaleString('en')}</td>
                <td className="num">{t.output.toLocaleString('en')}</td>
                <td className="num">{costWords(t.costUsd)}</td>
              </tr>
            ))}
          </tbody>
          {usageRows.length > 1 && progress.totalTokens && (
            <tfoot>
              <tr data-testid="tokens-total">
                <td>All</td>
                <td />
                <td className="num">{progress.totalTokens.input.toLocaleString('en')}</td>
                <td className="num">{progress.totalTokens.output.toLocaleString('en')}</td>
                <td className="num">{costWords(progress.totalTokens.costUsd)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
      <p className={`muted ${styles.runProgressNote}`}>
        The targets’ conversations and the judge’s verdicts, retries included. Cost is unknown for models without prices
        in the models file.
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}

function Figure({
  label,
  value,
  bad,
  testId,
  title,
}: {
  label: string;
  value: number | string;
  bad?: boolean;
  testId?: string;
  title?: string;
}) {
  return (
    <div className={bad ? `${styles.runFigure} ${styles.bad}` : styles.runFigure} data-testid={testId} title={title}>
      <dt>{label}</dt>
      <dd>{typeof value === 'number' ? value.toLocaleString('en') : value}</dd>
    </div>
  );
}
