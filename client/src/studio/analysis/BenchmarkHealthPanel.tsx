import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { healthKeys } from '../../api/queryKeys.ts';
import { fetchBenchmarkHealth, type BehaviourHealth } from './analysis.api.ts';
import { fixed } from './itemFlags.ts';
import results from '../../components/ResultPanels.module.css';
import styles from './analysis.module.css';

/** Per behaviour: coverage, the ceiling/floor and discrimination maps, and where to write next (most urgent first). */
export function BenchmarkHealthPanel({ judge }: { judge: string | null }) {
  const health = useQuery({ queryKey: healthKeys.health(judge), queryFn: () => fetchBenchmarkHealth(judge) });
  if (health.error) return <ErrorMessage error={health.error} />;
  if (!health.data) return null;
  const next = health.data.behaviours.filter((b) => b.writeNext);
  return (
    <section className={styles.itemsHealth} data-testid="items-health" aria-label="Benchmark health">
      <h2>Benchmark health</h2>
      {next.length > 0 ? (
        <details open={next.length <= 12}>
          <summary data-testid="write-next-summary">Where to write next: {next.length} behaviours</summary>
          <ol className={styles.itemsWriteNext} data-testid="write-next">
            {next.map((b) => (
              <li key={b.behavior}>
                <strong>{b.name}</strong> <span className="muted">({b.category})</span>: {b.writeNext!.reason}
              </li>
            ))}
          </ol>
        </details>
      ) : (
        <p className="muted">Every behaviour has enough validated scenarios that separate models.</p>
      )}
      <table className={`${results.table} items-health-table`} data-testid="health-table">
        <thead>
          <tr>
            <th>Behaviour</th>
            <th className="num" title="scenarios in the corpus (not retired)">
              Scenarios
            </th>
            <th className="num" title="scenarios meeting a realism study's rule">
              Validated
            </th>
            <th className="num" title="scenarios with judged transcripts">
              Run
            </th>
            <th className="num" title="run scenarios no model fails">
              Ceiling
            </th>
            <th className="num" title="run scenarios no model passes">
              Floor
            </th>
            <th className="num" title="run scenarios that separate models">
              Separating
            </th>
            <th className="num">Mean</th>
            <th className="num">Item-rest</th>
          </tr>
        </thead>
        <tbody>
          {health.data.behaviours.map((b) => (
            <HealthRow key={b.behavior} b={b} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HealthRow({ b }: { b: BehaviourHealth }) {
  const share = (n: number) => (b.analysed ? n / b.analysed : 0);
  return (
    <tr data-testid="health-row" data-id={b.behavior}>
      <td>
        {b.name} <span className="muted">({b.category})</span>
      </td>
      <td className={b.scenarios < 3 ? 'num hint-bad' : 'num'}>{b.scenarios}</td>
      <td className={b.validated === 0 ? 'num hint-bad' : 'num'}>{b.validated}</td>
      <td className="num">{b.analysed}</td>
      <td className="num" style={{ background: `rgba(26, 127, 55, ${0.35 * share(b.ceiling)})` }}>
        {b.ceiling}
      </td>
      <td className="num" style={{ background: `rgba(207, 34, 46, ${0.35 * share(b.floor)})` }}>
        {b.floor}
      </td>
      <td className="num" style={{ background: `rgba(9, 105, 218, ${0.35 * share(b.separating)})` }}>
        {b.separating}
      </td>
      <td className="num">{fixed(b.meanScore)}</td>
      <td className="num">{fixed(b.meanItemRest)}</td>
    </tr>
  );
}
