import type { StudyResults } from '../../../../schema/api/studies.ts';

/** Raters by pseudonym: how much they rated and how they did on attention checks. */
export function RatersTable({ raters, maxFailures }: { raters: StudyResults['raters']; maxFailures: number }) {
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
              <th className="num">Ratings</th>
              <th className="num">Attention checks</th>
              <th className="num">Failed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {raters.map((r) => (
              <tr key={r.pseudonym} data-testid="rater-row">
                <td className="mono">{r.pseudonym}</td>
                <td className="num">{r.ratings}</td>
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
