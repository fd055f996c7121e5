import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ApiError } from '../../api/client.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { BehaviourShortlist, BehaviourTable } from './BehaviourResults.tsx';
import { CompareModels } from './CompareModels.tsx';
import { DeepDive, type DeepDiveState } from './DeepDive.tsx';
import { OutputGrid } from './OutputGrid.tsx';
import { FactorAnalysisPanel } from './FactorAnalysisPanel.tsx';
import { VariableEffectsPanel } from './VariableEffectsPanel.tsx';
import { JudgeBar } from './JudgeBar.tsx';
import { LeaderboardTable } from './LeaderboardTable.tsx';
import { QuickRunEstimates } from './QuickRunEstimates.tsx';
import { RunStatusBadge, useJudgeVersions } from './RunBadges.tsx';
import { RunProgressPanel } from './RunProgressPanel.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { exportUrl, fetchLeaderboard, fetchRun, type Leaderboard } from './runs.api.ts';
import { ScoreHeatmap, type BehaviourGroup } from './ScoreHeatmap.tsx';
import { durationWords } from './scoreScale.ts';
import { useRunEvents } from './useRunEvents.ts';
import frame from '../../components/PageFrame.module.css';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './RunPage.module.css';

const SECTIONS = [
  ['leaderboard', 'Leaderboard'],
  ['heatmap', 'Heatmap'],
  ['behaviours', 'Behaviours'],
  ['compare', 'Compare'],
  ['factors', 'Factor analysis'],
  ['transcripts', 'Transcripts'],
] as const;

/** /studio/runs/:id: a run's live progress, then its results under a chosen judge version. */
export function RunPage({ id }: { id: string }) {
  const run = useQuery({
    queryKey: runKeys.run(id),
    queryFn: () => fetchRun(id),
    // The event stream carries progress; this catches the end if the stream missed it.
    refetchInterval: (q) => (q.state.data?.status === 'running' || q.state.data?.status === 'queued' ? 5000 : false),
  });
  const progress = useRunEvents(run.data);
  const judges = useJudgeVersions();
  const taxonomy = useTaxonomy();
  const [chosenJudge, setChosenJudge] = useState<string | null>(null);
  // The dimension ranked (null: the primary, alignment); a judge version may score others.
  const [dimension, setDimension] = useState<string | null>(null);
  const judgeVersionId = chosenJudge ?? run.data?.judgeVersionId ?? judges.data?.find((j) => j.isDefault)?.id ?? null;
  const active = run.data?.status === 'running' || run.data?.status === 'queued';
  const board = useQuery({
    queryKey: runKeys.leaderboard(id, chosenJudge, dimension),
    queryFn: () => fetchLeaderboard(id, chosenJudge, dimension),
    enabled: !!run.data,
    placeholderData: keepPreviousData,
    refetchInterval: active ? 5000 : false,
  });
  const [dive, setDive] = useState<DeepDiveState>({});
  const sections = useRef<Partial<Record<(typeof SECTIONS)[number][0], HTMLElement | null>>>({});
  useDocumentTitle(run.data?.name ?? 'Run');

  const groups = useMemo(() => groupBehaviours(board.data, taxonomy), [board.data, taxonomy]);

  if (run.error) {
    const missing = run.error instanceof ApiError && (run.error.status === 404 || run.error.status === 400);
    return (
      <main className="page-message">
        <h1>{missing ? 'No such run' : 'Cannot load the run'}</h1>
        {!missing && <ErrorMessage error={run.error} />}
        <p>
          <Link href="/studio/runs">All runs</Link>
        </p>
      </main>
    );
  }
  if (!run.data || !progress)
    return (
      <main className="centered-message" aria-busy="true">
        Loading…
      </main>
    );

  const r = run.data;
  const s = r.settings;
  const finished = progress.done + progress.failed >= progress.total;
  // Failed items keep the progress panel on top: it says why they failed and retries them.
  const showProgressFirst = active || !finished || r.status !== 'completed' || progress.failed > 0;
  const b = board.data;
  const scrollTo = (key: (typeof SECTIONS)[number][0]) =>
    sections.current[key]?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  const pickCell = (model: string | undefined, behaviour: string | undefined) => {
    setDive({ model, behavior: behaviour });
    requestAnimationFrame(() => scrollTo('transcripts'));
  };
  const took = r.startedAt && r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : null;

  return (
    <main className={`${frame.page} ${runsStyles.runPage}`} data-testid="run-page" data-status={r.status}>
      <header className={frame.header}>
        <div>
          <nav className={frame.breadcrumb} aria-label="Breadcrumb">
            <Link href="/studio/runs">Runs</Link>
            <span>/</span>
            <span className="mono">{r.id.slice(0, 8)}</span>
          </nav>
          <h1>
            {r.name} <RunStatusBadge status={r.status} />
          </h1>
          <p className={`muted ${styles.runMeta}`}>
            {s.models.length} model{s.models.length === 1 ? '' : 's'} · {scopeText(s.filter, taxonomy)} · {s.repeats}{' '}
            repeat{s.repeats === 1 ? '' : 's'} · concurrency {s.concurrency} ({s.perProviderConcurrency} per provider) ·
            cache {s.useCache ? 'on' : 'off'} · created {new Date(r.createdAt).toLocaleString()}
            {took !== null && r.status === 'completed' ? ` · took ${durationWords(took)}` : ''}
          </p>
        </div>
        <div className={styles.runExports} aria-label="Exports">
          <a
            className="btn"
            href={exportUrl(r.id, 'export.json', chosenJudge, dimension)}
            download
            data-testid="export-json"
          >
            JSON
          </a>
          <a
            className="btn"
            href={exportUrl(r.id, 'export.csv', chosenJudge, dimension)}
            download
            data-testid="export-csv"
          >
            CSV
          </a>
          <a
            className="btn"
            href={exportUrl(r.id, 'leaderboard.html', chosenJudge, dimension)}
            download
            data-testid="export-html"
            title="Download a static page with the leaderboard and its data, to host anywhere"
          >
            Static page (HTML)
          </a>
          <a
            className="btn"
            href={`/api/runs/${encodeURIComponent(r.id)}/usage.csv`}
            download
            data-testid="export-usage"
            title="Download the tokens and cost of every model call: per target model, per judge model, and in total"
          >
            Tokens and cost (CSV)
          </a>
        </div>
      </header>

      {showProgressFirst && <RunProgressPanel run={r} progress={progress} />}

      <JudgeBar
        runId={r.id}
        runJudgeId={r.judgeVersionId}
        judgeVersionId={judgeVersionId}
        versions={judges.data}
        board={b}
        onChoose={(j) => {
          setChosenJudge(j === r.judgeVersionId ? null : j);
          setDimension(null);
        }}
        partial={!finished ? `${progress.done} of ${progress.total} items done: results so far` : null}
      />
      {b && b.dimensions.length > 1 && (
        <label className="run-dimension" data-testid="run-dimension">
          Dimension{' '}
          <select
            value={b.dimension.id}
            onChange={(e) => setDimension(e.target.value === 'alignment' ? null : e.target.value)}
          >
            {b.dimensions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.id} ({d.scale.min}–{d.scale.max}, {d.direction === 'lower-better' ? 'lower' : 'higher'} is better)
              </option>
            ))}
          </select>{' '}
          {!b.dimension.primary && (
            <span className="muted">
              {b.dimension.description} No pass threshold: pass rates and verdict bands are the primary
              dimension&apos;s.
            </span>
          )}
        </label>
      )}

      {board.error && (
        <div className={runsStyles.bannerPlain} data-testid="board-error">
          {board.error instanceof ApiError && board.error.status === 409 ? (
            <>
              No judge version to score this run with. <Link href="/studio/judges">Create a judge</Link>, then choose it
              here.
            </>
          ) : (
            <ErrorMessage error={board.error} />
          )}
        </div>
      )}

      {b && b.models.length === 0 && !board.error && (
        <div className={frame.empty} data-testid="no-scores">
          {active ? 'Waiting for the first judged transcripts…' : 'No judged transcripts under this judge version.'}
        </div>
      )}

      {s.quick && <QuickRunEstimates runId={r.id} active={active} />}

      {b && b.models.length > 0 && (
        <>
          <nav className={styles.sectionNav} aria-label="Results">
            {SECTIONS.map(([key, label]) => (
              <button key={key} type="button" className={styles.sectionLink} onClick={() => scrollTo(key)}>
                {label}
              </button>
            ))}
          </nav>

          <section
            className={results.panel}
            aria-labelledby="lb-title"
            ref={(el) => void (sections.current.leaderboard = el)}
          >
            <h2 id="lb-title">Leaderboard</h2>
            <LeaderboardTable
              models={b.models}
              behaviourName={taxonomy.behaviourName}
              onPickModel={(m) => pickCell(m, undefined)}
            />
          </section>

          <section
            className={results.panel}
            aria-labelledby="heatmap-title"
            ref={(el) => void (sections.current.heatmap = el)}
          >
            <h2 id="heatmap-title">Model × behaviour</h2>
            <p className={`muted ${runsStyles.runPanelNote}`}>
              Mean score of each model on each behaviour, behaviours grouped by category. Hover a cell for its value;
              click it for its transcripts.
            </p>
            <ScoreHeatmap
              models={b.models.map((m) => m.model)}
              groups={groups}
              matrix={b.matrix}
              behaviours={b.behaviours}
              dimension={b.dimension.primary ? null : b.dimension}
              onPick={(m, beh) => pickCell(m, beh)}
            />
          </section>

          <div className={runsStyles.runGrid} ref={(el) => void (sections.current.behaviours = el)}>
            <BehaviourShortlist
              title="Hardest behaviours"
              note="Lowest mean over models."
              ids={b.hardest}
              board={b}
              names={taxonomy}
              testId="hardest"
              onPick={(beh) => pickCell(undefined, beh)}
            />
            <BehaviourShortlist
              title="Most discriminating"
              note="Widest spread between the best and the worst model."
              ids={b.mostDiscriminating}
              board={b}
              names={taxonomy}
              testId="discriminating"
              onPick={(beh) => pickCell(undefined, beh)}
            />
          </div>

          <section className={results.panel} aria-labelledby="behaviours-title">
            <h2 id="behaviours-title">Every behaviour</h2>
            <BehaviourTable board={b} names={taxonomy} onPick={(beh) => pickCell(undefined, beh)} />
          </section>

          <div ref={(el) => void (sections.current.compare = el)}>
            {b.models.length >= 2 ? (
              <CompareModels
                runId={r.id}
                judgeVersionId={chosenJudge}
                dimension={dimension}
                models={b.models.map((m) => m.model)}
                behaviourName={taxonomy.behaviourName}
              />
            ) : (
              <section className={results.panel}>
                <h2>Compare two models</h2>
                <p className="muted">Needs two models with judged transcripts.</p>
              </section>
            )}
          </div>

          <VariableEffectsPanel
            effects={b.variables ?? []}
            csvUrl={exportUrl(r.id, 'variables.csv', chosenJudge, dimension)}
          />

          <div ref={(el) => void (sections.current.factors = el)}>
            <FactorAnalysisPanel
              factors={b.factors}
              behaviourName={taxonomy.behaviourName}
              totalBehaviours={b.behaviours.length}
            />
          </div>

          <OutputGrid
            runId={r.id}
            judgeVersionId={chosenJudge}
            behavior={dive.behavior}
            behaviourName={taxonomy.behaviourName}
            onOpen={(cell) => {
              setDive({ ...dive, model: cell.model, behavior: cell.behavior, open: cell.transcriptId });
              sections.current.transcripts?.scrollIntoView({ block: 'start' });
            }}
          />

          <div ref={(el) => void (sections.current.transcripts = el)}>
            <DeepDive
              runId={r.id}
              judgeVersionId={chosenJudge}
              models={b.models.map((m) => m.model)}
              groups={groups}
              state={dive}
              onChange={setDive}
              behaviourName={taxonomy.behaviourName}
            />
          </div>
        </>
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

type Taxonomy = ReturnType<typeof useTaxonomy>;

/** The run's behaviours grouped by category, in the taxonomy's order (unknown ones last, by id). */
function groupBehaviours(board: Leaderboard | undefined, taxonomy: Taxonomy): BehaviourGroup[] {
  if (!board) return [];
  const present = new Map(board.behaviours.map((b) => [b.behavior, b.category]));
  const groups: BehaviourGroup[] = [];
  const placed = new Set<string>();
  for (const c of taxonomy.data?.categories ?? []) {
    const behaviours = c.behaviours.filter((b) => present.has(b.id)).map((b) => ({ id: b.id, name: b.name }));
    behaviours.forEach((b) => placed.add(b.id));
    if (behaviours.length) groups.push({ category: c.id, name: c.name, behaviours });
  }
  const rest = new Map<string, { id: string; name: string }[]>();
  for (const [id, category] of present) {
    if (placed.has(id)) continue;
    rest.set(category, [...(rest.get(category) ?? []), { id, name: taxonomy.behaviourName(id) }]);
  }
  for (const [category, behaviours] of [...rest].sort(([a], [b]) => a.localeCompare(b))) {
    groups.push({
      category,
      name: taxonomy.categoryName(category),
      behaviours: behaviours.sort((a, b) => a.id.localeCompare(b.id)),
    });
  }
  return groups;
}

function scopeText(
  filter: { scope: string; category?: string; behavior?: string; difficulty?: string; q?: string },
  taxonomy: Taxonomy,
): string {
  const scope =
    filter.scope === 'validated'
      ? 'validated scenarios'
      : filter.scope === 'ready'
        ? 'ready scenarios'
        : 'all scenarios';
  const parts = [
    filter.category && taxonomy.categoryName(filter.category),
    filter.behavior && taxonomy.behaviourName(filter.behavior),
    filter.difficulty,
    filter.q && `“${filter.q}”`,
  ].filter(Boolean);
  return parts.length ? `${scope} in ${parts.join(', ')}` : scope;
}
