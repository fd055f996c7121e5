import type { StudyResults } from '../../../../schema/api/studies.ts';

/** Below this median time on a task, a rater may be clicking through without reading (shown, never acted on). */
const HASTY_SECONDS = 10;

/**
 * Raters by pseudonym (and, for admins, by name): how much they rated, how long they took over a
 * task, and how they did on attention checks.
 */
export function RatersTable({ raters, maxFailures }: { raters: StudyResults['raters']; maxFailures: number }) {
  const showNames = raters.some((r) => r.name !== null);
  return (
    <section className="panel" aria-labelledby="raters-title">
      <h2 id="raters-title">
        Raters <span className="count">{raters.length}</span>
      </h2>
      {raters.length === 0 ? (
        <p className="muted">Nobody has rated yet.</p>
      ) : (
        <table className="data-table" data-testid="raters-table">
          <thead>
            <tr>
              <th>Pseudonym</th>
              {showNames && <th>Name</th>}
              <th className="num">Ratings</th>
              <th className="num" title="Median time from being given a scenario to rating it">
                Time per task
              </th>
              <th className="num">Attention checks</th>
              <th className="num">Failed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {raters.map((r) => (
              <tr key={r.pseudonym} data-testid="rater-row">
                <td className="mono">{r.pseudonym}</td>
                {showNames && <td data-testid="rater-name">{r.name}</td>}
                <td className="num">{r.ratings}</td>
                <td className="num" data-testid="rater-time">
                  {r.medianSecondsOnTask === null ? '–' : formatDuration(r.medianSecondsOnTask)}
                  {r.medianSecondsOnTask !== null && r.medianSecondsOnTask < HASTY_SECONDS && (
                    <span
                      className="badge badge-warning"
                      title={`A median under ${HASTY_SECONDS} seconds per scenario: check that this rater reads them`}
                    >
                      fast
                    </span>
                  )}
                </td>
                <td className="num">{r.attentionChecks}</td>
                <td className="num">{r.attentionFailures}</td>
                <td>
                  {r.flagged && (
                    <span
                      className="badge badge-error"
                      title={`Failed more than ${maxFailures} attention check${maxFailures === 1 ? '' : 's'}`}
                    >
                      flagged
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 42 s, 3 min 05 s, 1 h 02 min: a median time on task at a glance. */
function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
