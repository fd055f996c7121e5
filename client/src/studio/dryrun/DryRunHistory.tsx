import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { HUMAN_MODEL, type DryRunSummary } from '../../../../schema/api/dryruns.ts';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { deleteDryRun, exportUrl } from './dryrun.api.ts';
import { HashTag } from './HashTag.tsx';
import { costText, durationText, paramsText, timeText, tokensText } from './runFormat.ts';
import { statusClass } from './statusClass.ts';
import styles from './dryrun.module.css';

interface DryRunHistoryProps {
  scenarioId: string;
  runs: DryRunSummary[] | undefined;
  loading: boolean;
  error: unknown;
  /** Hash of the editor's text, to tell which runs were made of exactly this version. */
  currentHash: string | null;
  openedId: string | null;
  onOpen(id: string): void;
  onCompare(ids: [string, string]): void;
}

/** The finished dry-runs of this scenario: reopen, export, delete, or pick two to compare. */
export function DryRunHistory({
  scenarioId,
  runs,
  loading,
  error,
  currentHash,
  openedId,
  onOpen,
  onCompare,
}: DryRunHistoryProps) {
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: deleteDryRun,
    onSuccess: (_, id) => {
      setPicked((p) => p.filter((x) => x !== id));
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: dryRunKeys.list(scenarioId) });
    },
  });
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  if (error)
    return (
      <div className="form-error">
        Could not list the dry-runs: {error instanceof Error ? error.message : String(error)}
      </div>
    );
  if (loading && !runs) return <div className="loading-block">Loading the dry-runs…</div>;
  if (!runs || runs.length === 0) {
    return (
      <div className={styles.dryrunEmpty} data-testid="dryrun-history-empty">
        No dry-runs of this scenario yet. Pick a model and press Run (Ctrl+Enter).
      </div>
    );
  }
  return (
    <div className="dryrun-history" data-testid="dryrun-history">
      <div className={styles.dryrunHistoryBar}>
        <span className="muted">
          {picked.length === 2 ? 'Two runs picked.' : 'Tick two runs to compare them side by side.'}
        </span>
        <button
          type="button"
          className="btn btn-sm"
          data-testid="dryrun-compare"
          disabled={picked.length !== 2}
          onClick={() => onCompare([picked[0]!, picked[1]!])}
        >
          Compare {picked.length === 2 ? 'the two' : ''}
        </button>
      </div>
      {remove.error && <div className="form-error">Not deleted: {remove.error.message}</div>}
      <ul className={styles.dryrunRuns}>
        {runs.map((r) => (
          <li
            key={r.id}
            className={r.id === openedId ? `${styles.dryrunRun} ${styles.opened}` : styles.dryrunRun}
            data-testid="dryrun-row"
            data-id={r.id}
            data-status={r.status}
          >
            <input
              type="checkbox"
              aria-label="Pick for comparison"
              data-testid="dryrun-pick"
              checked={picked.includes(r.id)}
              onChange={() => toggle(r.id)}
            />
            <div className={styles.dryrunRunMain}>
              <div className={styles.dryrunRunLine}>
                <button
                  type="button"
                  className={`link-button ${styles.dryrunRunModel}`}
                  data-testid="dryrun-open"
                  onClick={() => onOpen(r.id)}
                  title="Open this transcript"
                >
                  {r.model}
                </button>
                <RunStatus status={r.status} />
                {r.redFlags > 0 && (
                  <span className="badge badge-error" data-testid="dryrun-row-flags">
                    ⚑ {r.redFlags} red flag{r.redFlags === 1 ? '' : 's'}
                  </span>
                )}
                <span className="spacer" />
                <span className="muted" title={r.startedAt}>
                  {timeText(r.startedAt)}
                </span>
              </div>
              <div className={`${styles.dryrunRunLine} ${styles.dryrunRunMeta}`}>
                <span>{r.model === HUMAN_MODEL ? 'played by you' : paramsText(r.params)}</span>
                <span>{tokensText(r.inputTokens, r.outputTokens)}</span>
                <span>{durationText(r.latencyMs)}</span>
                {r.ttftMs !== null && <span>first token {durationText(r.ttftMs)}</span>}
                <span>{costText(r.costUsd)}</span>
                <HashTag hash={r.contentHash} currentHash={currentHash} />
              </div>
              {r.error && r.status !== 'stopped' && <div className={styles.dryrunRunError}>{r.error}</div>}
            </div>
            <div className={styles.dryrunRunActions}>
              <a className="btn btn-sm" href={exportUrl(r.id)} download data-testid="dryrun-export">
                Export JSON
              </a>
              {confirming === r.id ? (
                <>
                  <button
                    type="button"
                    className="btn btn-sm btn-danger"
                    data-testid="dryrun-delete-confirm"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(r.id)}
                  >
                    Delete it
                  </button>
                  <button type="button" className="btn btn-sm" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="btn btn-sm btn-danger-quiet"
                  data-testid="dryrun-delete"
                  disabled={r.status === 'running'}
                  onClick={() => setConfirming(r.id)}
                >
                  Delete
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RunStatus({ status }: { status: string }) {
  return (
    <span className={`badge ${styles.runStatus} ${statusClass('run', status)}`} data-testid="run-status">
      {status}
    </span>
  );
}
