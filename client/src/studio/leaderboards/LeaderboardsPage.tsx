import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { navigate } from '../../app/navigation.ts';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { runsQuery } from '../runs/runs.api.ts';
import { leaderboardKeys } from '../../api/queryKeys.ts';
import { createLeaderboard, fetchLeaderboards } from './leaderboards.api.ts';
import frame from '../../components/PageFrame.module.css';
import results from '../../components/ResultPanels.module.css';
import styles from './leaderboards.module.css';

/** /studio/leaderboards: leaderboards that combine comparable runs, and a new one from a run. */
export function LeaderboardsPage() {
  useDocumentTitle('Leaderboards');
  const boards = useQuery({ queryKey: leaderboardKeys.list, queryFn: fetchLeaderboards });
  return (
    <main className={frame.page} data-testid="leaderboards-page">
      <header className={frame.header}>
        <div>
          <h1>Leaderboards</h1>
          <p className="muted">
            A leaderboard combines runs of the same scenarios (by content), judge version and repeats: models run months
            apart are ranked together, and charted by release date. A run that differs is refused, with the reason.
          </p>
        </div>
      </header>
      <NewLeaderboardForm />
      {boards.error && <ErrorMessage error={boards.error} />}
      {boards.data?.length === 0 && (
        <div className={frame.empty}>No leaderboard yet: start one from a finished run.</div>
      )}
      {!!boards.data?.length && (
        <table className={results.table} data-testid="leaderboard-list">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Runs</th>
              <th className="num">Models</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {boards.data.map((b) => (
              <tr key={b.id} data-testid="leaderboard-list-row">
                <td>
                  <Link href={`/studio/leaderboards/${b.id}`}>{b.name}</Link>
                </td>
                <td className="num">{b.runs}</td>
                <td className="num">{b.models}</td>
                <td>{new Date(b.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function NewLeaderboardForm() {
  const queryClient = useQueryClient();
  const runs = useQuery(runsQuery());
  const [name, setName] = useState('');
  const [runId, setRunId] = useState('');
  const create = useMutation({
    mutationFn: () => createLeaderboard(name.trim(), runId),
    onSuccess: ({ id }) => {
      void queryClient.invalidateQueries({ queryKey: leaderboardKeys.all });
      navigate(`/studio/leaderboards/${id}`);
    },
  });
  const { error } = create;
  const finished = (runs.data ?? []).filter((r) => r.status === 'completed' && !r.settings.quick);
  return (
    <form
      className={`${frame.toolbar} ${styles.boardsNew}`}
      data-testid="new-leaderboard"
      onSubmit={(e) => {
        e.preventDefault();
        if (!create.isPending) create.mutate();
      }}
    >
      <label>
        Name{' '}
        <input
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="board-name"
        />
      </label>
      <label>
        From run{' '}
        <select required value={runId} onChange={(e) => setRunId(e.target.value)} data-testid="board-first-run">
          <option value="">Choose a finished run</option>
          {finished.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.settings.models.join(', ')})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-sm btn-primary" data-testid="board-create">
        New leaderboard
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
