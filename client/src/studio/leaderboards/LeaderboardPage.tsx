import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { modelsQuery } from '../dryrun/dryrun.api.ts';
import { leaderboardKeys, runKeys } from '../../api/queryKeys.ts';
import { runsQuery } from '../runs/runs.api.ts';
import { percentText, scoreText } from '../runs/scoreScale.ts';
import {
  addModelToLeaderboard,
  addRunToLeaderboard,
  fetchCombinedLeaderboard,
  type CombinedLeaderboard,
} from './leaderboards.api.ts';
import { familyColours, pointsOf, ScoreOverTimeChart } from './ScoreOverTimeChart.tsx';
import frame from '../../components/PageFrame.module.css';
import results from '../../components/ResultPanels.module.css';
import styles from './leaderboards.module.css';

/** /studio/leaderboards/:id: comparable runs ranked together, charted by release date; add a model or a run. */
export function LeaderboardPage({ id }: { id: string }) {
  const board = useQuery({
    queryKey: leaderboardKeys.board(id),
    queryFn: () => fetchCombinedLeaderboard(id),
    // While one of its runs is under way, its scores arrive.
    refetchInterval: (q) =>
      q.state.data?.runs.some((r) => r.status === 'running' || r.status === 'queued') ? 2000 : false,
  });
  useDocumentTitle(board.data?.name ?? 'Leaderboard');
  const b = board.data;
  if (board.error) return <ErrorMessage error={board.error} />;
  if (!b) return <div className={frame.empty}>Loading…</div>;
  const colours = familyColours(b.models);
  const undated = b.models.filter((m) => !m.released);
  return (
    <main className={frame.page} data-testid="leaderboard-page">
      <header className={frame.header}>
        <div>
          <nav className={frame.breadcrumb} aria-label="Breadcrumb">
            <Link href="/studio/leaderboards">Leaderboards</Link>
            <span>/</span>
          </nav>
          <h1>{b.name}</h1>
          <p className="muted" data-testid="board-terms">
            {b.scenarios} scenarios · {b.repeats ?? '?'} repeat{b.repeats === 1 ? '' : 's'} · judge{' '}
            {b.judge ? `${b.judge.name} v${b.judge.version}` : 'none'} · {b.runs.length} run
            {b.runs.length === 1 ? '' : 's'}. A run joins only with these same terms.
          </p>
        </div>
      </header>

      <section className={results.panel} aria-labelledby="board-table-title">
        <h2 id="board-table-title">Models</h2>
        <BoardTable board={b} />
        {(b.judgeErrors > 0 || b.unjudged > 0) && (
          <p className="muted">
            {b.judgeErrors} judge error{b.judgeErrors === 1 ? '' : 's'} and {b.unjudged} unjudged transcript
            {b.unjudged === 1 ? '' : 's'} left out.
          </p>
        )}
      </section>

      <section className={results.panel} aria-labelledby="board-time-title">
        <h2 id="board-time-title">Over time</h2>
        <div className={styles.timeLegend} aria-label="Families">
          {[...colours].map(([family, colour]) => (
            <span key={family} className="time-legend-item">
              <span className={styles.timeSwatch} style={{ background: colour }} /> {family}
            </span>
          ))}
        </div>
        <ScoreOverTimeChart
          title="Mean score by release date"
          points={pointsOf(b.models, (m) => m.mean)}
          colours={colours}
          testId="chart-overall"
        />
        <div className={styles.timeSmallMultiples}>
          {b.categories.map((c) => (
            <ScoreOverTimeChart
              key={c}
              title={c}
              points={pointsOf(b.models, (m) => m.categories[c] ?? null)}
              colours={colours}
              width={300}
              height={180}
              testId={`chart-category-${c}`}
            />
          ))}
        </div>
        {undated.length > 0 && (
          <p className="muted" data-testid="undated-models">
            Not charted (no release date in the models file): {undated.map((m) => m.model).join(', ')}.
          </p>
        )}
      </section>

      <section className={`${results.panel} ${styles.boardsActions}`} aria-labelledby="board-add-title">
        <h2 id="board-add-title">Add to this leaderboard</h2>
        <AddModelForm board={b} />
        <AddRunForm board={b} />
      </section>

      <section className={results.panel} aria-labelledby="board-runs-title">
        <h2 id="board-runs-title">Runs</h2>
        <ul className={styles.boardsRuns} data-testid="board-runs">
          {b.runs.map((r) => (
            <li key={r.id} data-testid="board-run" data-status={r.status}>
              <Link href={`/studio/runs/${r.id}`}>{r.name}</Link> <span className="muted">({r.status})</span>:{' '}
              {r.models.join(', ')}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function BoardTable({ board }: { board: CombinedLeaderboard }) {
  return (
    <div className={results.tableScroll}>
      <table className={results.table} data-testid="board-table">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Model</th>
            <th>Family</th>
            <th>Version</th>
            <th>Released</th>
            <th className="num">Mean [95% CI]</th>
            <th className="num">Pass rate</th>
            {board.categories.map((c) => (
              <th key={c} className="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.models.map((m, i) => (
            <tr key={m.model} data-testid="board-row" data-model={m.model}>
              <td className="num">{i + 1}</td>
              <td className="mono">
                <Link href={`/studio/runs/${m.runId}`}>{m.model}</Link>
              </td>
              <td>{m.family ?? '–'}</td>
              <td>{m.version ?? '–'}</td>
              <td>{m.released ?? '–'}</td>
              <td className="num">
                {scoreText(m.mean)}{' '}
                <span className="muted">
                  {m.ci ? `[${scoreText(m.ci.low)}, ${scoreText(m.ci.high)}]` : '(too few)'}
                </span>
              </td>
              <td className="num">{m.passRate === null ? '–' : percentText(m.passRate)}</td>
              {board.categories.map((c) => (
                <td key={c} className="num">
                  {m.categories[c] === undefined ? '–' : scoreText(m.categories[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Add a model": one new run of that model alone, on the leaderboard's scenarios, repeats and judge. */
function AddModelForm({ board }: { board: CombinedLeaderboard }) {
  const queryClient = useQueryClient();
  const models = useQuery(modelsQuery());
  const onBoard = new Set(board.runs.flatMap((r) => r.models));
  const candidates = (models.data?.models ?? []).filter((m) => m.ready && !onBoard.has(m.id));
  const [model, setModel] = useState('');
  const [started, setStarted] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (chosen: string) => addModelToLeaderboard(board.id, chosen),
    onSuccess: ({ items }, chosen) => {
      setStarted(`Started run of ${chosen} (${items} items).`);
      setModel('');
      void queryClient.invalidateQueries({ queryKey: leaderboardKeys.all });
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
    },
  });
  const { error } = add;
  return (
    <form
      className={frame.toolbar}
      data-testid="add-model"
      onSubmit={(e) => {
        e.preventDefault();
        if (!add.isPending) add.mutate(model);
      }}
    >
      <label>
        Add a model{' '}
        <select required value={model} onChange={(e) => setModel(e.target.value)} data-testid="add-model-select">
          <option value="">Choose a model not on the leaderboard</option>
          {candidates.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
              {m.family ? ` (${m.family}${m.version ? ` ${m.version}` : ''})` : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-sm btn-primary" data-testid="add-model-submit">
        Run it and add it
      </button>
      <span className="muted">
        Only the new model runs: {board.scenarios} scenarios × {board.repeats ?? '?'} repeats.
      </span>
      {started && (
        <span role="status" data-testid="add-model-started">
          {started}
        </span>
      )}
      <ErrorMessage error={error} />
    </form>
  );
}

/** Adds an existing run; one that is not comparable is refused and the reasons shown. */
function AddRunForm({ board }: { board: CombinedLeaderboard }) {
  const queryClient = useQueryClient();
  const runs = useQuery(runsQuery());
  const onBoard = new Set(board.runs.map((r) => r.id));
  const [runId, setRunId] = useState('');
  const add = useMutation({
    mutationFn: () => addRunToLeaderboard(board.id, runId),
    onSuccess: () => {
      setRunId('');
      void queryClient.invalidateQueries({ queryKey: leaderboardKeys.all });
    },
  });
  const { error } = add;
  return (
    <form
      className={frame.toolbar}
      data-testid="add-run"
      onSubmit={(e) => {
        e.preventDefault();
        if (!add.isPending) add.mutate();
      }}
    >
      <label>
        Add a run{' '}
        <select required value={runId} onChange={(e) => setRunId(e.target.value)} data-testid="add-run-select">
          <option value="">Choose a run</option>
          {(runs.data ?? [])
            .filter((r) => !onBoard.has(r.id))
            .map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.settings.models.join(', ')})
              </option>
            ))}
        </select>
      </label>
      <button type="submit" className="btn btn-sm" data-testid="add-run-submit">
        Add the run
      </button>
      <div data-testid="add-run-error">
        <ErrorMessage error={error} />
      </div>
    </form>
  );
}
