import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { judgeKeys, promoteJudgeVersion } from '../judges/judges.api.ts';
import { calibrationKeys, fetchCalibration, rejudgeStudy, type MetricsWithCi } from './calibration.api.ts';
import { CompareReports } from './CompareReports.tsx';

interface CandidatePanelProps {
  studyId: string;
  current: JudgeVersion;
  currentReport: MetricsWithCi;
  /** Annotated transcripts (with the current judge's verdict) in the study. */
  annotated: number;
  versions: JudgeVersion[];
  candidateId: string | null;
  setCandidate(id: string | null): void;
}

/**
 * A candidate version against the current one: re-judge the study's transcripts with it, compare
 * the two on the same human verdicts, and promote it to the default judge.
 */
export function CandidatePanel({
  studyId,
  current,
  currentReport,
  annotated,
  versions,
  candidateId,
  setCandidate,
}: CandidatePanelProps) {
  const queryClient = useQueryClient();
  const candidate = versions.find((v) => v.id === candidateId) ?? null;
  const report = useQuery({
    queryKey: calibrationKeys.report(studyId, candidateId ?? ''),
    queryFn: () => fetchCalibration(studyId, candidateId!),
    enabled: candidate !== null,
  });
  const [rejudging, setRejudging] = useState<{ since: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [promoting, setPromoting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const others = [...versions]
    .filter((v) => v.id !== current.id)
    .sort(
      (a, b) =>
        Number(b.name === current.name) - Number(a.name === current.name) ||
        a.name.localeCompare(b.name) ||
        b.version - a.version,
    );

  useEffect(() => {
    if (!rejudging) return;
    const t = setInterval(() => setElapsed(Math.round((Date.now() - rejudging.since) / 1000)), 500);
    return () => clearInterval(t);
  }, [rejudging]);
  useEffect(() => {
    setOutcome(null);
    setError(null);
  }, [candidateId]);

  const rejudge = async () => {
    if (!candidate) return;
    setRejudging({ since: Date.now() });
    setElapsed(0);
    setOutcome(null);
    setError(null);
    try {
      const r = await rejudgeStudy(studyId, candidate.id);
      setOutcome(
        `Re-judged: ${r.scored} scored${r.errors ? `, ${r.errors} judge error${r.errors === 1 ? '' : 's'} (recorded, not scored)` : ', no errors'}.`,
      );
      await queryClient.invalidateQueries({ queryKey: calibrationKeys.all });
    } catch (e) {
      setError(e);
    }
    setRejudging(null);
  };

  const promote = async () => {
    if (!candidate) return;
    setPromoting(true);
    setError(null);
    try {
      await promoteJudgeVersion(candidate.id);
      await queryClient.invalidateQueries({ queryKey: judgeKeys.versions });
    } catch (e) {
      setError(e);
    }
    setPromoting(false);
  };

  const judged = report.data?.report.overall.metrics.n ?? 0;
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
          <p className="candidate-info" data-testid="candidate-info">
            <strong>
              {candidate.name} v{candidate.version}
            </strong>
            {candidate.isDefault && (
              <span className="badge badge-default" data-testid="candidate-default">
                default
              </span>
            )}{' '}
            · {candidate.settings.model} · pass ≥ {candidate.settings.passThreshold} ·{' '}
            {candidate.settings.fewShot.length} few-shot example{candidate.settings.fewShot.length === 1 ? '' : 's'} ·{' '}
            <span className="muted">“{candidate.reason}”</span>
          </p>
          <div className="candidate-steps">
            <button
              type="button"
              className="btn btn-sm"
              disabled={rejudging !== null}
              data-testid="rejudge"
              onClick={() => void rejudge()}
            >
              {rejudging ? 'Re-judging…' : `Re-judge the annotated set with ${candidate.name} v${candidate.version}`}
            </button>
            {rejudging && (
              <span className="busy-line" role="status" data-testid="rejudge-busy">
                <span className="spinner" aria-hidden /> Judging the study’s transcripts with {candidate.settings.model}
                , four at a time… {elapsed} s
              </span>
            )}
            {outcome && (
              <span className="notice-ok" role="status" data-testid="rejudge-outcome">
                {outcome}
              </span>
            )}
            <span className="spacer" />
            {!candidate.isDefault && (
              <button
                type="button"
                className="btn btn-sm btn-primary"
                disabled={promoting || rejudging !== null}
                data-testid="promote-candidate"
                onClick={() => void promote()}
              >
                {promoting ? 'Promoting…' : `Promote ${candidate.name} v${candidate.version} to default`}
              </button>
            )}
          </div>
          <ErrorMessage error={error ?? report.error} />
          {report.data && judged === 0 && !rejudging && (
            <p className="muted" data-testid="candidate-unjudged">
              {candidate.name} v{candidate.version} has no verdicts on this study’s {annotated} annotated transcript
              {annotated === 1 ? '' : 's'} yet: re-judge to compare.
            </p>
          )}
          {report.data && judged > 0 && (
            <CompareReports
              current={{ version: current, report: currentReport }}
              candidate={{ version: candidate, report: report.data.report.overall }}
              minN={report.data.report.minN}
            />
          )}
        </>
      )}
    </section>
  );
}
