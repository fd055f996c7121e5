import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { useMe } from '../../auth/useMe.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { AlphaPlot } from './AlphaPlot.tsx';
import { FailingList } from './FailingList.tsx';
import { RatersTable } from './RatersTable.tsx';
import { RecruitPanel } from './RecruitPanel.tsx';
import { ScenarioResultsTable } from './ScenarioResultsTable.tsx';
import { RealismScreenPanel } from '../generation/RealismScreenPanel.tsx';
import { studyKeys } from '../../api/queryKeys.ts';
import { exportToAnnotations, fetchStudyResults, setStudyOpen } from './studies.api.ts';
import { StudyStatus } from './StudiesPage.tsx';
import frame from '../../components/PageFrame.module.css';
import figures from '../../components/StatFigures.module.css';
import styles from './studies.module.css';

/** /studio/studies/:id: a study's results (agreement, scenarios, raters) and, for admins, its controls. */
export function StudyPage({ id }: { id: string }) {
  const isAdmin = useMe().data?.role === 'admin';
  const [excludeFlagged, setExcludeFlagged] = useState(true);
  const results = useQuery({
    queryKey: studyKeys.results(id, excludeFlagged),
    queryFn: () => fetchStudyResults(id, excludeFlagged),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  useDocumentTitle(results.data?.study.name ?? 'Study');

  if (results.error) {
    const missing = results.error instanceof ApiError && results.error.status === 404;
    return (
      <main className="page-message">
        <h1>{missing ? 'No such study' : 'Cannot load the study'}</h1>
        {!missing && <ErrorMessage error={results.error} />}
        <p>
          <Link href="/studio/studies">All studies</Link>
        </p>
      </main>
    );
  }
  if (!results.data)
    return (
      <main className="centered-message" aria-busy="true">
        Loading…
      </main>
    );

  const r = results.data;
  const { study } = r;
  const failing = r.scenarios.filter((s) => !s.validated && s.n >= study.minRatings);
  const flaggedRaters = r.raters.filter((x) => x.flagged).length;

  return (
    <main className={frame.page} data-testid="study-page">
      <header className={frame.header}>
        <div>
          <nav className={frame.breadcrumb} aria-label="Breadcrumb">
            <Link href="/studio/studies">Studies</Link>
            <span>/</span>
            <span className="mono">{study.id}</span>
          </nav>
          <h1>
            {study.name} <StudyStatus status={study.status} />
          </h1>
          <p className="muted">
            {study.items} scenarios · {study.ratersPerItem} raters each · validated at ≥ {study.minRatings} ratings and
            mean ≥ {study.minMean} · batch {study.batchSize} · {study.maxAttentionFailures} attention-check failure
            {study.maxAttentionFailures === 1 ? '' : 's'} allowed
          </p>
        </div>
        <StudyActions id={id} status={study.status} isAdmin={isAdmin} />
      </header>

      <div className={figures.stats}>
        <Stat label="Ratings" value={study.ratings} of={study.items * study.ratersPerItem} testId="stat-ratings" />
        <Stat label="Validated" value={study.validated} of={study.items} testId="stat-validated" />
        <Stat label="Failing the rule" value={failing.length} />
        <Stat label="Raters" value={r.raters.length} />
        <label className={styles.excludeToggle}>
          <input
            type="checkbox"
            checked={excludeFlagged}
            data-testid="exclude-flagged"
            onChange={(e) => setExcludeFlagged(e.target.checked)}
          />
          Leave out flagged raters {flaggedRaters > 0 ? `(${flaggedRaters})` : ''}
        </label>
      </div>

      <div className={styles.studyGrid}>
        <section className="panel" aria-labelledby="alpha-title">
          <h2 id="alpha-title">Agreement: Krippendorff’s alpha (ordinal)</h2>
          <p className="muted panel-note">
            95% bootstrap interval over scenarios. 1 is perfect agreement, 0 is chance.
          </p>
          <AlphaPlot alpha={r.alpha} />
          {r.gold.scenarios > 0 && (
            <p className="muted" data-testid="gold-pass-rate">
              Attention checks (apart from alpha): {r.gold.passed} of {r.gold.ratings} ratings of {r.gold.scenarios}{' '}
              gold scenario{r.gold.scenarios === 1 ? '' : 's'} in the expected range
              {r.gold.rate !== null ? ` (${Math.round(r.gold.rate * 100)}%)` : ''}.
            </p>
          )}
        </section>
        {isAdmin ? (
          <RecruitPanel
            studyId={id}
            completionCode={r.study.completionCode}
            completionUrl={r.study.completionUrl}
            batchSize={r.study.batchSize}
            maxSkips={r.study.maxSkips}
            requirePlatformIds={r.study.requirePlatformIds}
          />
        ) : null}
      </div>

      <RealismScreenPanel studyId={id} />
      <FailingList scenarios={failing} minMean={study.minMean} />
      <ScenarioResultsTable results={r} isAdmin={isAdmin} />
      <RatersTable raters={r.raters} maxFailures={study.maxAttentionFailures} />
    </main>
  );
}

function Stat({ label, value, of, testId }: { label: string; value: number; of?: number; testId?: string }) {
  return (
    <div className={figures.stat} data-testid={testId}>
      <span className={figures.statValue}>
        {value}
        {of !== undefined && <span className="muted"> / {of}</span>}
      </span>
      <span className={figures.statLabel}>{label}</span>
    </div>
  );
}

/** Close or reopen, download the ratings, or write them to annotations/ for a release. */
function StudyActions({ id, status, isAdmin }: { id: string; status: 'open' | 'closed'; isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const [written, setWritten] = useState<string | null>(null);
  // One action at a time (write, close, reopen); the study is read again after each.
  const action = useMutation({
    mutationFn: (act: () => Promise<void>) => act(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: studyKeys.all }),
  });
  const { isPending: busy, error } = action;
  const run = (act: () => Promise<void>) => action.mutate(act);

  return (
    <div className={styles.studyActions}>
      <div className={frame.actions}>
        <a className="btn" href={`/api/studies/${id}/export.jsonl`} download data-testid="download-jsonl">
          JSONL
        </a>
        <a className="btn" href={`/api/studies/${id}/export.csv`} download data-testid="download-csv">
          CSV
        </a>
        {isAdmin && (
          <>
            <button
              type="button"
              className="btn"
              disabled={busy}
              data-testid="write-annotations"
              onClick={() =>
                void run(async () => {
                  const out = await exportToAnnotations(id);
                  setWritten(
                    `Wrote ${out.ratings} rating${out.ratings === 1 ? '' : 's'} to ${out.files.join(' and ')}.`,
                  );
                })
              }
            >
              Write to annotations/
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy}
              data-testid="toggle-open"
              onClick={() => void run(() => setStudyOpen(id, status !== 'open'))}
            >
              {status === 'open' ? 'Close study' : 'Reopen study'}
            </button>
          </>
        )}
      </div>
      {written && (
        <p className="muted" role="status" data-testid="annotations-written">
          {written}
        </p>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
