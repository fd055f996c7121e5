import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { fetchOutputGrid } from './runs.api.ts';
import { band, scoreColour, scoreTextColour } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './OutputGrid.module.css';

/**
 * Scenario x model: each cell the judge's score and the start of the model's last answer, so a row
 * reads as "what each model did with this scenario". One behaviour at a time (the deep dive's
 * behaviour filter), first repeat only; a cell opens its transcript in the deep dive.
 */
export function OutputGrid({
  runId,
  judgeVersionId,
  behavior,
  behaviourName,
  onOpen,
}: {
  runId: string;
  judgeVersionId: string | null;
  behavior: string | undefined;
  behaviourName(id: string): string;
  onOpen(cell: { model: string; transcriptId: string; behavior: string }): void;
}) {
  const grid = useQuery({
    queryKey: runKeys.grid(runId, judgeVersionId, behavior ?? null),
    queryFn: () => fetchOutputGrid(runId, judgeVersionId, behavior),
    placeholderData: keepPreviousData,
  });
  const data = grid.data;
  return (
    <details className={`${results.panel} ${styles.outputGrid}`} data-testid="output-grid">
      <summary>
        <h2>Outputs by scenario and model</h2>
        <span className="muted">
          {' '}
          {behavior ? behaviourName(behavior) : 'the first scenarios of the run'}: choose a behaviour in the transcripts
          below to change it
        </span>
      </summary>
      {grid.error && <ErrorMessage error={grid.error} />}
      {data && data.rows.length === 0 && <p className="muted">No item of this run matches.</p>}
      {data && data.rows.length > 0 && (
        <div className={styles.outputGridScroll}>
          <table className={styles.outputGridTable}>
            <thead>
              <tr>
                <th>Scenario</th>
                {data.models.map((m) => (
                  <th key={m} className="mono">
                    {m}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.scenarioId} data-testid="grid-row" data-scenario={row.scenarioId}>
                  <th className="mono">{row.scenarioId}</th>
                  {data.models.map((m) => {
                    const cell = row.cells[m];
                    if (!cell)
                      return (
                        <td key={m} className="muted">
                          –
                        </td>
                      );
                    return (
                      <td key={m}>
                        <button
                          type="button"
                          className={styles.gridCell}
                          data-testid="grid-cell"
                          data-model={m}
                          data-score={cell.score ?? ''}
                          disabled={!cell.transcriptId}
                          onClick={() =>
                            cell.transcriptId &&
                            onOpen({ model: m, transcriptId: cell.transcriptId, behavior: row.behavior })
                          }
                        >
                          {cell.score !== null ? (
                            <span
                              className={runsStyles.scoreBox}
                              style={{ background: scoreColour(cell.score), color: scoreTextColour(cell.score) }}
                              title={`${cell.score}: ${band(cell.score)}`}
                            >
                              {cell.score}
                            </span>
                          ) : (
                            <span className={`${runsStyles.scoreBox} ${runsStyles.none}`}>–</span>
                          )}
                          {cell.redFlagged && <span title="a red-flag tool call"> ⚑</span>}
                          <span className={styles.gridExcerpt}>{cell.excerpt || <em>{cell.status}</em>}</span>
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {data.truncated && (
            <p className="muted">The first {data.rows.length} scenarios; choose a behaviour to see its scenarios.</p>
          )}
        </div>
      )}
    </details>
  );
}
