import { useMemo } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ApiError } from '../../api/client.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import frame from '../../components/PageFrame.module.css';
import results from '../../components/ResultPanels.module.css';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { BoardNotices } from './BoardNotices.tsx';
import { groupBehaviours } from './behaviourGroups.ts';
import { DimensionPicker } from './DimensionPicker.tsx';
import { JudgeBar } from './JudgeBar.tsx';
import { QuickRunEstimates } from './QuickRunEstimates.tsx';
import { useJudgeVersions } from './RunBadges.tsx';
import { RunPageHeader } from './RunPageHeader.tsx';
import { RunProgressPanel } from './RunProgressPanel.tsx';
import { RunResults } from './RunResults.tsx';
import { useResultSections } from './useResultSections.ts';
import { useRunBoard } from './useRunBoard.ts';
import { useRunLive } from './useRunLive.ts';
import runsStyles from './runs.module.css';

/** /studio/runs/:id: a run's live progress, then its results under a chosen judge version. */
export function RunPage({ id }: { id: string }) {
  const { run, progress, active } = useRunLive(id);
  const judges = useJudgeVersions();
  const taxonomy = useTaxonomy();
  const { board, chosenJudge, dimension, judgeVersionId, chooseJudge, chooseDimension } = useRunBoard(
    id,
    run.data,
    active,
    judges.data,
  );
  const nav = useResultSections();
  useDocumentTitle(run.data?.name ?? 'Run');
  const groups = useMemo(() => groupBehaviours(board.data, taxonomy), [board.data, taxonomy]);

  if (run.error) return <RunUnavailable error={run.error} />;
  if (!run.data || !progress)
    return (
      <main className="centered-message" aria-busy="true">
        Loading…
      </main>
    );

  const r = run.data;
  const b = board.data;
  const finished = progress.done + progress.failed >= progress.total;
  // Failed items keep the progress panel on top: it says why they failed and retries them.
  const showProgressFirst = active || !finished || r.status !== 'completed' || progress.failed > 0;
  return (
    <main className={`${frame.page} ${runsStyles.runPage}`} data-testid="run-page" data-status={r.status}>
      <RunPageHeader run={r} taxonomy={taxonomy} judgeVersionId={chosenJudge} dimension={dimension} />
      {showProgressFirst && <RunProgressPanel run={r} progress={progress} />}
      <JudgeBar
        runId={r.id}
        runJudgeId={r.judgeVersionId}
        judgeVersionId={judgeVersionId}
        versions={judges.data}
        board={b}
        onChoose={chooseJudge}
        partial={!finished ? `${progress.done} of ${progress.total} items done: results so far` : null}
      />
      {b && b.dimensions.length > 1 && <DimensionPicker board={b} onChoose={chooseDimension} />}
      <BoardNotices board={b} error={board.error} active={active} />
      {r.settings.quick && <QuickRunEstimates runId={r.id} active={active} />}
      {b && b.models.length > 0 && (
        <RunResults
          runId={r.id}
          board={b}
          groups={groups}
          taxonomy={taxonomy}
          chosenJudge={chosenJudge}
          dimension={dimension}
          nav={nav}
        />
      )}
      {!showProgressFirst && (
        <details className={`${results.panel} ${runsStyles.runDetails}`}>
          <summary>Run details: counts, retries, tokens and cost</summary>
          <RunProgressPanel run={r} progress={progress} />
        </details>
      )}
    </main>
  );
}

/** The run could not be loaded: no such run (or not a run id), or the server failed. */
function RunUnavailable({ error }: { error: Error }) {
  const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
  return (
    <main className="page-message">
      <h1>{missing ? 'No such run' : 'Cannot load the run'}</h1>
      {!missing && <ErrorMessage error={error} />}
      <p>
        <Link href="/studio/runs">All runs</Link>
      </p>
    </main>
  );
}
