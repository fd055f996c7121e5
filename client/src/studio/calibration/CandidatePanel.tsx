import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { JobProgress } from '../jobs/JobProgress.tsx';
import { useJobAction } from '../jobs/useJobAction.ts';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { calibrationKeys, judgeKeys } from '../../api/queryKeys.ts';
import { RejudgeResultSchema } from '../runs/runs.api.ts';
import { fetchHeldOutComparison, promoteCandidate, rejudgeStudy } from './calibration.api.ts';
import { CompareReports } from './CompareReports.tsx';
import marks from '../../components/judgeMarks.module.css';
import styles from './calibration.module.css';
import { PromoteReasonField } from '../../components/PromoteReasonField.tsx';

interface CandidatePanelProps {
  studyId: string;
  current: JudgeVersion;
  /** Transcripts of the study's held-out part (what candidates are compared on). */
  heldout: number;
  versions: JudgeVersion[];
  candidateId: string | null;
  setCandidate(id: string | null): void;
}

/**
 * A candidate version against the current one: re-judge the study's held-out transcripts with it,
 * compare the two there (never on the transcripts its examples came from), and promote it. Promote
 * is the primary action only when the candidate is not worse on the primary metric beyond its
 * paired interval; otherwise it asks for a reason.
 */
export function CandidatePanel({
  studyId,
  current,
  heldout,
  versions,
  candidateId,
  setCandidate,
}: CandidatePanelProps) {
  const queryClient = useQueryClient();
  const candidate = versions.find((v) => v.id === candidateId) ?? null;
  const report = useQuery({
    queryKey: calibrationKeys.compare(studyId, current.id, candidateId ?? ''),
    queryFn: () => fetchHeldOutComparison(studyId, current.id, candidateId!),
    enabled: candidate !== null,
  });
  const [promoteReason, setPromoteReason] = useState('');
  const action = useJobAction();
  const rejudging = action.busy;
  const [outcome, setOutcome] = useState<string | null>(null);
  const rejudgeJob = useMutation({
    // A background job: its progress shows below until it ends.
    mutationFn: (id: string) => action.start(() => rejudgeStudy(studyId, id, 'heldout')),
    onSuccess: (job) => {
      const r = RejudgeResultSchema.safeParse(job.result);
      if (job.status === 'done' && r.success) {
        const { scored, errors } = r.data;
        setOutcome(
          `Re-judged: ${scored} scored${errors ? `, ${errors} judge error${errors === 1 ? '' : 's'} (recorded, not scored)` : ', no errors'}.`,
        );
        action.clear();
      }
      return queryClient.invalidateQueries({ queryKey: calibrationKeys.all });
    },
  });
  const promoteVersion = useMutation({
    mutationFn: (id: string) => promoteCandidate(studyId, current.id, id, promoteReason.trim()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: judgeKeys.versions }),
  });
  const promoting = promoteVersion.isPending;
  const error = rejudgeJob.error ?? promoteVersion.error;
  const { reset: resetRejudge } = rejudgeJob;
  const { reset: resetPromote } = promoteVersion;
  const others = [...versions]
    .filter((v) => v.id !== current.id)
    .sort(
      (a, b) =>
        Number(b.name === current.name) - Number(a.name === current.name) ||
        a.name.localeCompare(b.name) ||
        b.version - a.version,
    );

  useEffect(() => {
    setOutcome(null);
    resetRejudge();
    resetPromote();
    setPromoteReason('');
  }, [candidateId, resetRejudge, resetPromote]);

  const rejudge = () => {
    if (!candidate) return;
    setOutcome(null);
    resetPromote();
    rejudgeJob.mutate(candidate.id);
  };

  const promote = () => {
    if (!candidate) return;
    resetRejudge();
    promoteVersion.mutate(candidate.id);
  };

  const judged = report.data?.comparison.n ?? 0;
  const guard = report.data?.guard ?? null;
  const cleared = guard?.status === 'ok';
  return (
    <section className="panel" aria-labelledby="candidate-title" data-testid="candidate">
      <div className="panel-head">
        <h2 id="candidate-title">Candidate version</h2>
        <select
          value={candidateId ?? ''}
          data-testid="candidate-select"
          aria-label="Candidate version"
          onChange={(e) => setCandidate(e.target.value || null)}
        >
          <option value="">Choose a version to compare…</option>
          {others.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name} v{v.version}
              {v.isDefault ? ' (default)' : ''} · {v.reason.slice(0, 60)}
            </option>
          ))}
        </select>
      </div>
      {!candidate ? (
        <p className="muted">
          Make one from chosen disagreements or from the threshold sweep, or pick an existing version: re-judge this
          study’s transcripts with it, compare it with {current.name} v{current.version} on the same human verdicts, and
          promote it if it is better.
        </p>
      ) : (
        <>
          <p className={styles.candidateInfo} data-testid="candidate-info">
            <strong>
              {candidate.name} v{candidate.version}
            </strong>
            {candidate.isDefault && (
              <span className={`badge ${marks.badgeDefault}`} data-testid="candidate-default">
                default
              </span>
            )}{' '}
            · {candidate.settings.model} · pass ≥ {candidate.settings.passThreshold} ·{' '}
            {candidate.settings.fewShot.length} few-shot example{candidate.settings.fewShot.length === 1 ? '' : 's'} ·{' '}
            <span className="muted">“{candidate.reason}”</span>
          </p>
          <div className={styles.candidateSteps}>
            <button
              type="button"
              className="btn btn-sm"
              disabled={rejudging}
              data-testid="rejudge"
              onClick={() => void rejudge()}
            >
              {rejudging
                ? 'Re-judging…'
                : `Re-judge the ${heldout} held-out transcripts with ${candidate.name} v${candidate.version}`}
            </button>
            {(rejudging || action.job) && (
              <span className={styles.busyLine} data-testid={rejudging ? 'rejudge-busy' : 'rejudge-ended'}>
                {action.job ? (
                  <JobProgress job={action.job} label={`Judging with ${candidate.settings.model}`} />
                ) : (
                  <>
                    <span className="spinner" aria-hidden /> Queueing…
                  </>
                )}
              </span>
            )}
            {outcome && (
              <span className={marks.noticeOk} role="status" data-testid="rejudge-outcome">
                {outcome}
              </span>
            )}
            <span className="spacer" />
          </div>
          {!candidate.isDefault && judged > 0 && guard && (
            <form
              className={cleared ? `${marks.promoteGuard} ${marks.ok}` : marks.promoteGuard}
              data-testid="promote-guard"
              data-status={guard.status}
              onSubmit={(e) => {
                e.preventDefault();
                if (!promoting && (cleared || promoteReason.trim())) void promote();
              }}
            >
              <p data-testid="promote-guard-message">
                {cleared ? 'Promote: ' : 'Not cleared for promotion: '}
                {guard.message}
              </p>
              {!cleared && <PromoteReasonField value={promoteReason} onChange={setPromoteReason} />}
              <button
                type="submit"
                className={cleared ? 'btn btn-sm btn-primary' : 'btn btn-sm'}
                disabled={promoting || rejudging || (!cleared && !promoteReason.trim())}
                data-testid="promote-candidate"
                data-primary={cleared}
              >
                {promoting
                  ? 'Promoting…'
                  : `Promote ${candidate.name} v${candidate.version} to default${cleared ? '' : ' anyway'}`}
              </button>
            </form>
          )}
          <ErrorMessage error={error ?? report.error} />
          {report.data && judged === 0 && !rejudging && (
            <p className="muted" data-testid="candidate-unjudged">
              {candidate.name} v{candidate.version} has no verdicts on this study’s {heldout} held-out transcript
              {heldout === 1 ? '' : 's'} yet: re-judge to compare.
            </p>
          )}
          {report.data && judged > 0 && (
            <>
              <p className="muted" data-testid="compare-scope">
                Compared on the held-out part only: {judged} transcript{judged === 1 ? '' : 's'} both versions judged,
                none of which a few-shot example may come from. Primary metric: MAE.
              </p>
              <CompareReports
                current={{ version: current, report: report.data.comparison.current }}
                candidate={{ version: candidate, report: report.data.comparison.candidate }}
                minN={report.data.comparison.minN}
                difference={report.data.comparison.difference}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
