import { useQuery } from '@tanstack/react-query';
import { Fragment, useMemo, useState } from 'react';
import { HUMAN_MODEL, type DryRun } from '../../../../schema/api/dryruns.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { judgementsQuery } from '../judges/judges.api.ts';
import { DiffTurnCell, diffTurns } from './CompareDiff.tsx';
import { dryRunKeys } from '../../api/queryKeys.ts';
import { fetchDryRun } from './dryrun.api.ts';
import { RunStatus } from './DryRunHistory.tsx';
import { HashTag } from './HashTag.tsx';
import { costText, durationText, paramsText, timeText, tokensText } from './runFormat.ts';
import { TranscriptBlockView } from './TranscriptBlocks.tsx';
import {
  alignmentKey,
  applyEvents,
  emptyTranscript,
  type TranscriptBlock,
  type TranscriptView,
} from '../../transcript/transcriptFold.ts';
import { statusClass } from './statusClass.ts';
import styles from './dryrun.module.css';

interface CompareDialogProps {
  ids: [string, string];
  currentHash: string | null;
  onClose(): void;
}

/**
 * Two stored dry-runs side by side, lined up turn by turn: two models on one scenario, or one
 * model on two versions of it (each column says which version it ran).
 */
export function CompareDialog({ ids, currentHash, onClose }: CompareDialogProps) {
  const left = useQuery({
    queryKey: dryRunKeys.run(ids[0]),
    queryFn: ({ signal }) => fetchDryRun(ids[0], signal),
    staleTime: Infinity,
  });
  const right = useQuery({
    queryKey: dryRunKeys.run(ids[1]),
    queryFn: ({ signal }) => fetchDryRun(ids[1], signal),
    staleTime: Infinity,
  });
  const views = useMemo(
    () =>
      left.data && right.data
        ? ([applyEvents(emptyTranscript, left.data.events), applyEvents(emptyTranscript, right.data.events)] as const)
        : null,
    [left.data, right.data],
  );
  const rows = useMemo(() => (views ? alignRows(views[0].blocks, views[1].blocks) : []), [views]);
  const [markDifferences, setMarkDifferences] = useState(false);
  const diffs = useMemo(
    () => (markDifferences ? new Map(rows.map(([key, a, b]) => [key, diffTurns(a, b)])) : null),
    [rows, markDifferences],
  );
  const error = left.error ?? right.error;

  return (
    <Dialog title="Compare two dry-runs" onClose={onClose} testId="dryrun-compare-dialog" full>
      <div className="compare">
        {error && <div className="form-error">Could not load a dry-run: {error.message}</div>}
        {!views && !error && <div className="loading-block">Loading both transcripts…</div>}
        {views && (
          <label className={styles.compareToggle}>
            <input
              type="checkbox"
              data-testid="compare-mark-differences"
              checked={markDifferences}
              onChange={(e) => setMarkDifferences(e.target.checked)}
            />{' '}
            Mark differences <span className="muted">(words one run has and the other does not)</span>
          </label>
        )}
        {views && left.data && right.data && (
          <div className={styles.compareGrid} data-testid="compare-grid">
            <RunHead run={left.data} other={right.data} currentHash={currentHash} side="left" />
            <RunHead run={right.data} other={left.data} currentHash={currentHash} side="right" />
            {rows.map(([key, a, b]) => {
              const diff = diffs?.get(key);
              return (
                <Fragment key={key}>
                  {diff && a?.kind === 'turn' && b?.kind === 'turn' ? (
                    <>
                      <div className={styles.compareCell} data-testid="compare-cell-left" data-row={key}>
                        <DiffTurnCell turn={a} diff={diff} side="left" />
                      </div>
                      <div className={styles.compareCell} data-testid="compare-cell-right" data-row={key}>
                        <DiffTurnCell turn={b} diff={diff} side="right" />
                      </div>
                    </>
                  ) : (
                    <>
                      <Cell block={a} side="left" rowKey={key} />
                      <Cell block={b} side="right" rowKey={key} />
                    </>
                  )}
                </Fragment>
              );
            })}
            <RunEnd view={views[0]} run={left.data} />
            <RunEnd view={views[1]} run={right.data} />
          </div>
        )}
      </div>
    </Dialog>
  );
}

function RunHead({
  run,
  other,
  currentHash,
  side,
}: {
  run: DryRun;
  other: DryRun;
  currentHash: string | null;
  side: string;
}) {
  return (
    <div className={styles.compareHead} data-testid={`compare-head-${side}`}>
      <div className={styles.compareHeadLine}>
        <strong className="mono">{run.model}</strong>
        <RunStatus status={run.status} />
        {run.redFlags > 0 && <span className="badge badge-error">⚑ {run.redFlags}</span>}
      </div>
      <div className={styles.dryrunRunMeta}>
        <span>{timeText(run.startedAt)}</span>
        <span>{run.model === HUMAN_MODEL ? 'played by you' : paramsText(run.params)}</span>
        <span>{tokensText(run.inputTokens, run.outputTokens)}</span>
        <span>{durationText(run.latencyMs)}</span>
        <span>{costText(run.costUsd)}</span>
      </div>
      <CompareScore runId={run.id} />
      <div className={styles.dryrunRunMeta}>
        <HashTag hash={run.contentHash} currentHash={currentHash} />
        <span className="muted">
          {run.contentHash === other.contentHash
            ? 'same scenario version as the other'
            : 'a different scenario version from the other'}
        </span>
      </div>
    </div>
  );
}

/** The judge's latest score on this run, so two runs compare by verdict as well as by text. */
function CompareScore({ runId }: { runId: string }) {
  const verdicts = useQuery(judgementsQuery(runId));
  if (!verdicts.data) return null;
  // Oldest first from the server: the latest scored verdict is the last.
  const latest = verdicts.data.findLast((v) => v.status === 'scored');
  return (
    <div className={styles.dryrunRunMeta} data-testid="compare-score">
      {latest ? (
        <>
          <span className={`badge ${latest.passed ? 'status-ready' : 'badge-error'}`}>
            judge {latest.score} · {latest.passed ? 'pass' : 'fail'}
          </span>
          {latest.redFlagged && <span className="badge badge-error">red flag</span>}
          {verdicts.data.length > 1 && <span className="muted">latest of {verdicts.data.length} verdicts</span>}
        </>
      ) : (
        <span className="muted">Not judged yet: open the run to judge it.</span>
      )}
    </div>
  );
}

function Cell({ block, side, rowKey }: { block: TranscriptBlock | null; side: string; rowKey: string }) {
  return (
    <div className={styles.compareCell} data-testid={`compare-cell-${side}`} data-row={rowKey}>
      {block ? (
        <TranscriptBlockView block={block} live={false} />
      ) : (
        <div className={styles.compareMissing}>not in this run</div>
      )}
    </div>
  );
}

function RunEnd({ view, run }: { view: TranscriptView; run: DryRun }) {
  const errors = view.blocks.filter((b) => b.kind === 'error');
  return (
    <div className={`${styles.compareCell} ${styles.compareEnd}`}>
      {errors.map((b) => (
        <TranscriptBlockView key={b.key} block={b} live={false} />
      ))}
      {!view.done && <div className={styles.txDone}>Ended {run.status}: the run did not finish.</div>}
      {view.done && (
        <div className={`${styles.txDone} ${statusClass('status', view.done.status)}`}>
          <strong>{view.done.status}</strong>
          <span>{tokensText(view.done.inputTokens, view.done.outputTokens)} tokens</span>
          <span>{durationText(view.done.latencyMs)}</span>
        </div>
      )}
    </div>
  );
}

/** Rows of [key, left block, right block]: the system prompt, then the script's turns by position, then generated turns. */
export function alignRows(
  a: TranscriptBlock[],
  b: TranscriptBlock[],
): [string, TranscriptBlock | null, TranscriptBlock | null][] {
  const rows = new Map<string, [TranscriptBlock | null, TranscriptBlock | null]>();
  for (const [side, blocks] of [[0, a] as const, [1, b] as const]) {
    for (const block of blocks) {
      const key = alignmentKey(block);
      if (key === null) continue;
      const row = rows.get(key) ?? [null, null];
      row[side] = block;
      rows.set(key, row);
    }
  }
  return [...rows.entries()].sort(([x], [y]) => rank(x) - rank(y)).map(([key, [l, r]]) => [key, l, r]);
}

function rank(key: string): number {
  if (key === 'system') return -1;
  const [kind, n] = key.split('-');
  return (kind === 'generated' ? 1_000_000 : 0) + Number(n);
}
