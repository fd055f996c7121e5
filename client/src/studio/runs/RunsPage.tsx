import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { NewRunDialog } from './NewRunDialog.tsx';
import { JudgeName, RunStatusBadge, useJudgeVersions } from './RunBadges.tsx';
import { RunCounts, RunProgressBar } from './RunProgressBar.tsx';
import { runsQuery } from './runs.api.ts';
import { durationWords } from './scoreScale.ts';
import frame from '../../components/PageFrame.module.css';
import runsStyles from './runs.module.css';
import styles from './RunsPage.module.css';

/** /studio/runs: every benchmark run with its progress; "New run" starts one. */
export function RunsPage() {
  useDocumentTitle('Runs');
  const judges = useJudgeVersions();
  // The list follows running runs by polling: one event stream per row would use up the
  // browser's few connections to the server. The run's own page streams its progress.
  const runs = useQuery({
    ...runsQuery(),
    refetchInterval: (q) =>
      q.state.data?.some((r) => r.status === 'running' || r.status === 'queued') ? 2000 : 30_000,
  });
  const [creating, setCreating] = useState(false);

  return (
    <main className={frame.page}>
      <header className={frame.header}>
        <div>
          <h1>Benchmark runs</h1>
          <p className="muted">
            Target models over the scenario set, each transcript scored 1-5 by a judge version (higher is better, pass ≥
            4). A run’s page has its leaderboard and factor analysis.
          </p>
        </div>
        <button type="button" className="btn btn-primary" data-testid="new-run" onClick={() => setCreating(true)}>
          New run
        </button>
      </header>
      {runs.error && <ErrorMessage error={runs.error} />}
      {runs.data && runs.data.length === 0 && (
        <div className={frame.empty}>
          <p>No runs yet.</p>
          <p>
            Start one with “New run”: pick the target models and the scenarios, and a judge scores every transcript.
          </p>
        </div>
      )}
      {runs.data && runs.data.length > 0 && (
        <table className={runsStyles.runsTable} data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th className={styles.runsProgressCol}>Progress</th>
              <th className="num">Done</th>
              <th>Models</th>
              <th>Judge version</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.id} data-testid="run-row" data-id={r.id}>
                <td>
                  <Link href={`/studio/runs/${r.id}`} className={styles.runStrong} data-testid="run-link">
                    {r.name}
                  </Link>
                  <div className="mono muted">{r.id.slice(0, 8)}</div>
                </td>
                <td>
                  <RunStatusBadge status={r.status} />
                </td>
                <td className={styles.runsProgressCol}>
                  <RunProgressBar progress={r.progress} />
                  {r.status === 'running' && (
                    <div className={`muted ${styles.runsRate}`} data-testid="run-rate">
                      {r.progress.itemsPerMinute === null
                        ? 'starting…'
                        : `${Math.round(r.progress.itemsPerMinute)}/min · ${durationWords(r.progress.secondsLeft)} left`}
                    </div>
                  )}
                </td>
                <td className="num">
                  <RunCounts progress={r.progress} />
                </td>
                <td className={styles.runsModelsCell} title={r.settings.models.join(', ')}>
                  {r.settings.models.length <= 3
                    ? r.settings.models.join(', ')
                    : `${r.settings.models.slice(0, 2).join(', ')} +${r.settings.models.length - 2}`}
                </td>
                <td>
                  <JudgeName id={r.judgeVersionId} versions={judges.data} />
                </td>
                <td className="muted" title={r.createdAt}>
                  {new Date(r.createdAt).toLocaleString()}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <NewRunDialog onClose={() => setCreating(false)} />}
    </main>
  );
}
