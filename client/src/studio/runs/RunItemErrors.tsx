import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { fetchRunItemErrors } from './runs.api.ts';
import results from '../../components/ResultPanels.module.css';
import styles from './RunItemErrors.module.css';

/**
 * Why items failed: each failed item (and each item waiting for another try after a transient
 * fault) with its last error, as the server stored it with key values blanked.
 */
export function RunItemErrors({ runId, failed, active }: { runId: string; failed: number; active: boolean }) {
  const errors = useQuery({
    queryKey: runKeys.errors(runId, failed),
    queryFn: () => fetchRunItemErrors(runId),
    refetchInterval: active ? 5000 : false,
  });
  const items = errors.data ?? [];
  if (errors.error) return <ErrorMessage error={errors.error} />;
  if (items.length === 0) return null;
  const shownFailed = items.filter((i) => i.status === 'failed').length;
  return (
    <details className={styles.runItemErrors} open={failed > 0} data-testid="run-item-errors">
      <summary>
        {failed > 0 ? `Why ${failed} item${failed === 1 ? '' : 's'} failed to run` : 'Items waiting for another try'}
      </summary>
      <div className={results.tableScroll}>
        <table>
          <thead>
            <tr>
              <th>Scenario</th>
              <th>Model</th>
              <th className="num">Repeat</th>
              <th className="num">Tries</th>
              <th>State</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="run-item-error" data-status={i.status}>
                <td>
                  <Link href={`/studio/scenarios/${encodeURIComponent(i.scenarioId)}`} className="mono">
                    {i.scenarioId}
                  </Link>
                </td>
                <td className="mono">{i.model}</td>
                <td className="num">{i.repeat + 1}</td>
                <td className="num">{i.attempts}</td>
                <td>{i.status === 'failed' ? 'failed to run' : 'waiting to retry'}</td>
                <td className={styles.runItemErrorText} data-testid="run-item-error-text">
                  {i.error ?? 'no error recorded'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shownFailed < failed && (
        <p className="muted">
          The first {shownFailed} of {failed} items that failed to run.
        </p>
      )}
    </details>
  );
}
