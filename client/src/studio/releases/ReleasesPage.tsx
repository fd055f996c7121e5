import { useQuery } from '@tanstack/react-query';
import { api, readJson } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import frame from '../../components/PageFrame.module.css';

/**
 * Benchmark releases this instance made (`npm run crucible -- release`) or imported
 * (`npm run crucible -- import release`): version, scope, counts, predecessor, folder.
 */
export function ReleasesPage() {
  const q = useQuery({
    queryKey: queryKeys.releases,
    queryFn: async () => readJson(await api.releases.$get()),
  });
  const releases = q.data?.releases ?? [];
  return (
    <main className={frame.page}>
      <header className={frame.header}>
        <div>
          <h1>Releases</h1>
          <p className="muted">
            Versioned snapshots of the benchmark: scenarios (YAML and an Inspect JSONL), taxonomy, realism, judges,
            leaderboards, datasheet, changelog and checksums. Make one with{' '}
            <code>npm run crucible -- release &lt;name&gt;</code>; bring one in with{' '}
            <code>npm run crucible -- import release &lt;folder&gt;</code>.
          </p>
        </div>
      </header>
      {q.error && <ErrorMessage error={q.error} />}
      {q.isSuccess && releases.length === 0 && <p data-testid="releases-empty">No release yet.</p>}
      {releases.length > 0 && (
        <table className="data-table" data-testid="releases">
          <thead>
            <tr>
              <th>Release</th>
              <th className="num">Version</th>
              <th>Origin</th>
              <th>Scope</th>
              <th className="num">Scenarios</th>
              <th className="num">Judges</th>
              <th className="num">Runs</th>
              <th>Previous</th>
              <th>Made</th>
              <th>Folder</th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.name} data-testid="release-row" data-release={r.name}>
                <td className="mono">{r.name}</td>
                <td className="num">{r.version}</td>
                <td>{r.origin}</td>
                <td>{r.scope}</td>
                <td className="num">{r.counts.scenarios}</td>
                <td className="num">{r.counts.judgeVersions}</td>
                <td className="num">{r.counts.leaderboardRuns}</td>
                <td>{r.previous ? `${r.previous.name} (v${r.previous.version})` : '—'}</td>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td className="mono muted">{r.path}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
