import { useQuery } from '@tanstack/react-query';
import type { RunSummary } from '../../../../schema/api/runs.ts';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { judgeVersionsQuery } from '../judges/judges.api.ts';
import styles from './RunBadges.module.css';

const STATUS_CLASS: Record<RunSummary['status'], string | undefined> = {
  queued: styles.runStatusQueued,
  running: styles.runStatusRunning,
  stopped: styles.runStatusStopped,
  completed: styles.runStatusCompleted,
  failed: styles.runStatusFailed,
};

/** A run's state as a coloured pill (running ones pulse). */
export function RunStatusBadge({ status }: { status: RunSummary['status'] }) {
  return (
    <span className={`badge run-status ${STATUS_CLASS[status]}`} data-testid="run-status" data-status={status}>
      {status}
    </span>
  );
}

/** Every judge version, for naming the one behind a score. */
export function useJudgeVersions() {
  return useQuery({ ...judgeVersionsQuery(), staleTime: 30_000 });
}

export const judgeLabel = (j: JudgeVersion) => `${j.name} v${j.version}`;

/** The judge version that produced a set of scores, by name and version (its id on hover). */
export function JudgeName({ id, versions }: { id: string | null; versions: JudgeVersion[] | undefined }) {
  if (!id) return <span className="muted">no judge</span>;
  const judge = versions?.find((v) => v.id === id);
  return (
    <span className="judge-name" title={`judge version ${id}`} data-testid="judge-name">
      {judge ? judgeLabel(judge) : <span className="mono">{id.slice(0, 8)}</span>}
    </span>
  );
}
