import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { judgeLabel } from './RunBadges.tsx';
import { JobProgress } from '../jobs/JobProgress.tsx';
import { useJobAction } from '../jobs/useJobAction.ts';
import { runKeys } from '../../api/queryKeys.ts';
import { RejudgeResultSchema, rejudgeRun, type Leaderboard } from './runs.api.ts';
import runsStyles from './runs.module.css';
import styles from './JudgeBar.module.css';

/**
 * Which judge version the results on screen come from, a choice of another, and re-judging the
 * run's transcripts with it (no target model is called again).
 */
export function JudgeBar({
  runId,
  runJudgeId,
  judgeVersionId,
  versions,
  board,
  onChoose,
  partial,
}: {
  runId: string;
  runJudgeId: string | null;
  judgeVersionId: string | null;
  versions: JudgeVersion[] | undefined;
  board: Leaderboard | undefined;
  onChoose(id: string): void;
  partial: string | null;
}) {
  const queryClient = useQueryClient();
  const action = useJobAction();
  const busy = action.busy;
  const [done, setDone] = useState<string | null>(null);
  const shownId = board?.judgeVersionId ?? judgeVersionId;
  const shown = versions?.find((v) => v.id === shownId);
  const rejudgeJob = useMutation({
    // A background job: the bar below shows its progress; the page may be left and come back.
    mutationFn: (judgeVersionId: string) => action.start(() => rejudgeRun(runId, judgeVersionId)),
    onSuccess: (job) => {
      const out = RejudgeResultSchema.safeParse(job.result);
      if (job.status === 'done' && out.success) {
        setDone(
          `Scored ${out.data.scored} transcript${out.data.scored === 1 ? '' : 's'}${out.data.errors ? `, ${out.data.errors} judge error${out.data.errors === 1 ? '' : 's'}` : ''}.`,
        );
        action.clear();
      }
      return queryClient.invalidateQueries({ queryKey: runKeys.all });
    },
  });
  const { error } = rejudgeJob;
  const rejudge = () => {
    if (!shownId) return;
    setDone(null);
    rejudgeJob.mutate(shownId);
  };
  return (
    <div className={styles.judgeBar} data-testid="judge-bar">
      <label className={runsStyles.judgePick}>
        <span>Scores by judge</span>
        <select
          value={shownId ?? ''}
          data-testid="judge-version"
          onChange={(e) => onChoose(e.target.value)}
          disabled={!versions?.length}
        >
          {!shownId && <option value="">no judge yet</option>}
          {versions?.map((v) => (
            <option key={v.id} value={v.id}>
              {judgeLabel(v)}
              {v.id === runJudgeId ? ' · the run’s judge' : ''}
              {v.isDefault ? ' · default' : ''}
            </option>
          ))}
        </select>
      </label>
      {shown && (
        <span className={`muted ${styles.judgeDetail}`} data-testid="judge-shown">
          {judgeLabel(shown)} · model {shown.settings.model} · pass ≥ {shown.settings.passThreshold} ·{' '}
          <span className="mono">{shown.id.slice(0, 8)}</span>
        </span>
      )}
      {partial && (
        <span className="badge badge-warning" data-testid="partial-results">
          {partial}
        </span>
      )}
      {board && board.judgeErrors > 0 && (
        <span
          className="badge badge-error"
          title="Transcripts this judge could not score (malformed or refused verdicts after retries); they are left out of the results."
        >
          {board.judgeErrors} judge error{board.judgeErrors === 1 ? '' : 's'}
        </span>
      )}
      {board && board.unjudged > 0 && !partial && (
        <>
          <span className="badge badge-warning" data-testid="unjudged">
            {board.unjudged} transcript{board.unjudged === 1 ? '' : 's'} not judged by this version
          </span>
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy}
            data-testid="rejudge"
            onClick={() => void rejudge()}
          >
            {busy ? 'Re-judging… (the judge reads every transcript)' : 'Re-judge with this version'}
          </button>
        </>
      )}
      {action.job && <JobProgress job={action.job} label="Re-judging" />}
      {done && (
        <span className="muted" role="status" data-testid="rejudge-outcome">
          {done}
        </span>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
