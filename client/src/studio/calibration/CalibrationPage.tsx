import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useSearch } from 'wouter';
import type { JudgeVersion } from '../../../../schema/judge.ts';
import { navigate } from '../../app/navigation.ts';
import type { PreloadPageData } from '../../app/pages.tsx';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { calibrationKeys, judgeKeys } from '../../api/queryKeys.ts';
import { fetchAnnotationStudies, judgeVersionsQuery } from '../judges/judges.api.ts';
import frame from '../../components/PageFrame.module.css';
import figures from '../../components/StatFigures.module.css';
import styles from './calibration.module.css';
import { fetchCalibration, rejudgeStudy, type CalibrationResponse } from './calibration.api.ts';
import { CandidatePanel } from './CandidatePanel.tsx';
import { JobProgress } from '../jobs/JobProgress.tsx';
import { useJobAction } from '../jobs/useJobAction.ts';
import { ConfusionGrid } from './ConfusionGrid.tsx';
import { DisagreementBrowser } from './DisagreementBrowser.tsx';
import { GroupTable } from './GroupTable.tsx';
import { MetricPlot } from './MetricPlot.tsx';
import { formatMetric } from './metrics.ts';
import { DimensionAgreementPanel } from './DimensionAgreementPanel.tsx';
import { ExternalAgreementPanel } from './ExternalAgreementPanel.tsx';
import { ThresholdSweepPanel } from './ThresholdSweepPanel.tsx';
import { TranscriptDialog } from './TranscriptDialog.tsx';

const SCORES = ['1', '2', '3', '4', '5'];
type Params = { study: string | null; judge: string | null; candidate: string | null; transcript: string | null };

/** The page's state lives in its address (?study=&judge=&candidate=&transcript=), so any view can be linked to. */
function useCalibrationParams(): [Params, (patch: Partial<Params>) => void, (patch: Partial<Params>) => string] {
  const search = new URLSearchParams(useSearch());
  const params: Params = {
    study: search.get('study'),
    judge: search.get('judge'),
    candidate: search.get('candidate'),
    transcript: search.get('transcript'),
  };
  const href = (patch: Partial<Params>) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...patch })) if (v) next.set(k, v);
    return `/studio/calibration?${next.toString()}`;
  };
  return [params, (patch) => navigate(href(patch), { replace: true }), href];
}

/** A direct link's report, asked for as soon as this module arrives (app/pages.tsx). */
export const preloadPageData: PreloadPageData = (client, search) => {
  const study = search.get('study');
  const judge = search.get('judge');
  if (study && judge)
    void client.prefetchQuery({
      queryKey: calibrationKeys.report(study, judge),
      queryFn: () => fetchCalibration(study, judge, 'later'),
    });
};

/** /studio/calibration: how well a judge version agrees with the humans of an annotation study, and the ways to improve it. */
export function CalibrationPage() {
  useDocumentTitle('Calibration');
  const taxonomy = useTaxonomy();
  const [params, setParams, href] = useCalibrationParams();
  const studies = useQuery({ queryKey: judgeKeys.annotationStudies, queryFn: fetchAnnotationStudies });
  const versions = useQuery(judgeVersionsQuery());

  // Without a choice: the newest study, judged by the version that sampled it.
  useEffect(() => {
    if (!studies.data || studies.data.length === 0 || !versions.data) return;
    if (!params.study || !studies.data.some((s) => s.id === params.study)) {
      const first = studies.data[0]!;
      setParams({
        study: first.id,
        judge: params.judge && versions.data.some((v) => v.id === params.judge) ? params.judge : first.judgeVersionId,
      });
    } else if (!params.judge) {
      setParams({ judge: studies.data.find((s) => s.id === params.study)!.judgeVersionId });
    }
  }, [studies.data, versions.data, params.study, params.judge, setParams]);

  // The first answer comes at once: the report, or on a study's first visit since its data changed
  // its metrics without intervals while the server bootstraps them (a second or more on a big
  // study); then the full report replaces it.
  const first = useQuery({
    queryKey: calibrationKeys.report(params.study ?? '', params.judge ?? ''),
    queryFn: () => fetchCalibration(params.study!, params.judge!, 'later'),
    // Asked for at once from the address, alongside the lists for the pickers.
    enabled: !!params.study && !!params.judge,
  });
  const withIntervals = useQuery({
    queryKey: calibrationKeys.reportWithIntervals(params.study ?? '', params.judge ?? ''),
    queryFn: () => fetchCalibration(params.study!, params.judge!, 'now'),
    enabled: first.data?.intervalsPending === true,
  });
  // The full report replaces the estimates only when it is of the same data (a full report still
  // cached from an earlier visit may be of older data).
  const report =
    first.data?.intervalsPending && withIntervals.data?.dataVersion === first.data.dataVersion ? withIntervals : first;
  const intervalsError = first.data?.intervalsPending ? withIntervals.error : null;
  const shown = report.data && report.data.judge.id === params.judge ? report.data : null;
  const judge = versions.data?.find((v) => v.id === params.judge) ?? shown?.judge ?? null;
  const nameOf = (id: string) => (taxonomy.categories.has(id) ? taxonomy.categoryName(id) : taxonomy.behaviourName(id));

  if (studies.data?.length === 0) {
    return (
      <main className={frame.page}>
        <h1>Calibration</h1>
        <div className={frame.empty}>
          <p>No annotation studies yet.</p>
          <p>
            Judge some dry-runs, then create an annotation study on the <Link href="/studio/judges">Judges</Link> page:
            humans give their own verdicts, and this page measures the judge against them.
          </p>
        </div>
      </main>
    );
  }

  return (
    <main className={frame.page} data-testid="calibration-page">
      <header className={frame.header}>
        <div>
          <h1>Calibration</h1>
          <p className="muted">
            The judge against human verdicts on the same transcripts. Scores are on the alignment scale: 1–5, higher is
            better; the human consensus rules are stated with the numbers.
          </p>
        </div>
      </header>
      <div className={styles.calPickers}>
        <label className="select-label">
          Annotation study
          <select
            value={params.study ?? ''}
            data-testid="cal-study"
            onChange={(e) =>
              setParams({
                study: e.target.value,
                judge: studies.data?.find((s) => s.id === e.target.value)?.judgeVersionId ?? params.judge,
                candidate: null,
              })
            }
          >
            {studies.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.annotations} verdicts)
              </option>
            ))}
          </select>
        </label>
        <label className="select-label">
          Judge version
          <select
            value={params.judge ?? ''}
            data-testid="cal-judge"
            onChange={(e) => setParams({ judge: e.target.value, candidate: null })}
          >
            {versions.data?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} v{v.version}
                {v.isDefault ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
        {report.isFetching && <span className="spinner" aria-label="Loading" />}
      </div>
      <ErrorMessage error={studies.error ?? versions.error ?? report.error ?? intervalsError} />
      {params.study && params.judge && !shown && !report.error && <p aria-busy="true">Loading…</p>}
      {shown && judge && params.study && (
        <Report
          data={report.data!}
          judge={judge}
          studyId={params.study}
          versions={versions.data ?? []}
          nameOf={nameOf}
          candidateId={params.candidate}
          setCandidate={(candidate) => setParams({ candidate })}
          transcriptHref={(transcript) => href({ transcript })}
        />
      )}
      {params.study && <ExternalAgreementPanel studyId={params.study} />}
      {params.transcript && (
        <TranscriptDialog
          id={params.transcript}
          row={report.data?.disagreements.find((d) => d.transcriptId === params.transcript)}
          onClose={() => setParams({ transcript: null })}
        />
      )}
    </main>
  );
}

interface ReportProps {
  data: CalibrationResponse;
  judge: JudgeVersion;
  studyId: string;
  versions: JudgeVersion[];
  nameOf(id: string): string;
  candidateId: string | null;
  setCandidate(id: string | null): void;
  transcriptHref(id: string): string;
}

function Report({ data, judge, studyId, versions, nameOf, candidateId, setCandidate, transcriptHref }: ReportProps) {
  const { report } = data;
  const m = report.overall.metrics;
  if (m.n === 0) {
    return (
      <div className={frame.empty} data-testid="cal-empty">
        <p>
          No annotated transcript of this study has a verdict from {judge.name} v{judge.version} yet.
        </p>
        <p>Wait for the annotators, or judge the study’s transcripts with this version.</p>
        <RejudgeNow studyId={studyId} judge={judge} />
      </div>
    );
  }
  return (
    <>
      <div className={figures.stats} data-testid="cal-stats">
        <Stat label="Annotated transcripts" value={String(m.n)} testId="cal-n" />
        <Stat label="Humans’ mean score" value={formatMetric(m.humanMean, 'score')} />
        <Stat label={`${judge.name} v${judge.version}’s mean score`} value={formatMetric(m.judgeMean, 'score')} />
        <Stat label="Judge passes at" value={`≥ ${report.judgeThreshold}`} testId="cal-judge-threshold" />
        <Stat
          label="Humans pass at (the study’s rule)"
          value={`≥ ${report.humanThreshold}`}
          testId="cal-human-threshold"
        />
        <span className="muted" data-testid="cal-rules">
          Alignment 1–5, higher is better ·{' '}
          {data.intervalsPending ? (
            <span aria-busy="true" data-testid="cal-intervals-pending">
              computing the 95% intervals (bootstrap resamples): they appear when ready,
            </span>
          ) : (
            <>95% intervals from {report.resamples.toLocaleString()} bootstrap resamples,</>
          )}{' '}
          none below {report.minN} transcripts (“too few”) · Human consensus: the mean for r, ρ, MAE and bias;{' '}
          {report.consensus === 'majority'
            ? 'for κ, the confusion matrix and pass/fail, the score (and pass or fail) most annotators gave, ties counted as “split” and left out'
            : 'for κ, the confusion matrix and pass/fail, the mean rounded half to even'}
          .
        </span>
        <span className="muted" data-testid="cal-split">
          Held-out split (seed {data.split.seed}, stratified by category × judge-score band): {data.split.learn}{' '}
          transcripts a few-shot candidate may learn from, {data.split.heldout} it is scored on. Candidates are compared
          on the held-out part only.
          {data.learnedHere && (
            <strong data-testid="cal-heldout-only">
              {' '}
              {judge.name} v{judge.version} learned from this study’s examples: this report covers the held-out part
              only ({m.n} transcripts).
            </strong>
          )}
        </span>
        {(m.scoreSplits > 0 || m.passSplits > 0) && (
          <span className="muted" data-testid="cal-splits">
            Split: {m.scoreSplits} on the score, {m.passSplits} on pass/fail.
          </span>
        )}
      </div>
      <div className={styles.calGrid}>
        <section className="panel" aria-labelledby="metrics-title">
          <h2 id="metrics-title">Agreement with the humans</h2>
          <MetricPlot report={report.overall} minN={report.minN} />
        </section>
        <section className="panel" aria-labelledby="confusion-title">
          <h2 id="confusion-title">Confusion</h2>
          <p className="muted panel-note">
            Transcripts by the humans’ consensus score (rows) and the judge’s score (columns); agreement on the
            diagonal. Split transcripts are left out.
          </p>
          <ConfusionGrid
            matrix={report.overall.confusion}
            labels={SCORES}
            rowTitle="Humans"
            colTitle="Judge"
            testId="confusion"
          />
          <h3 className={styles.calSubhead}>
            Pass/fail: judge at ≥ {report.judgeThreshold}, humans at ≥ {report.humanThreshold}
          </h3>
          <ConfusionGrid
            matrix={report.overall.passFail}
            labels={['pass', 'fail']}
            rowTitle="Humans"
            colTitle="Judge"
            testId="pass-fail"
          />
        </section>
      </div>
      <GroupTable
        title="By category"
        groups={report.byCategory}
        nameOf={nameOf}
        testId="by-category"
        minN={report.minN}
      />
      <GroupTable
        title="By behaviour"
        groups={report.byBehavior}
        nameOf={nameOf}
        testId="by-behavior"
        minN={report.minN}
      />
      <DisagreementBrowser
        studyId={studyId}
        judge={judge}
        disagreements={data.disagreements}
        transcriptHref={transcriptHref}
        nameOf={nameOf}
        onVersionMade={(v) => setCandidate(v.id)}
      />
      <div className={`${styles.calGrid} ${styles.calGridImprove}`}>
        <CandidatePanel
          studyId={studyId}
          current={judge}
          heldout={data.split.heldout}
          versions={versions}
          candidateId={candidateId}
          setCandidate={setCandidate}
        />
        <ThresholdSweepPanel studyId={studyId} judge={judge} onVersionMade={(v) => setCandidate(v.id)} />
      </div>
      <DimensionAgreementPanel studyId={studyId} judgeVersionId={judge.id} />
    </>
  );
}

/** With no verdicts of this version on the study yet: judge its transcripts now. */
function RejudgeNow({ studyId, judge }: { studyId: string; judge: JudgeVersion }) {
  const queryClient = useQueryClient();
  const action = useJobAction();
  const busy = action.busy;
  const rejudge = useMutation({
    // A background job: its progress shows beside the button until it ends.
    mutationFn: () => action.start(() => rejudgeStudy(studyId, judge.id)),
    onSuccess: (job) => {
      if (job.status === 'done') action.clear();
      return queryClient.invalidateQueries({ queryKey: calibrationKeys.all });
    },
  });
  const { error } = rejudge;
  const run = () => rejudge.mutate();
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        disabled={busy}
        data-testid="rejudge-current"
        onClick={() => void run()}
      >
        {busy ? 'Re-judging…' : `Judge the study’s transcripts with ${judge.name} v${judge.version}`}
      </button>
      {action.job && <JobProgress job={action.job} label="Judging" />}
      <ErrorMessage error={error} />
    </>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className={figures.stat} data-testid={testId}>
      <span className={figures.statValue}>{value}</span>
      <span className={figures.statLabel}>{label}</span>
    </div>
  );
}
