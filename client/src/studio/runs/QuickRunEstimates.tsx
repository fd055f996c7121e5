import { useQuery } from '@tanstack/react-query';
import type { QuickRunEstimates as Estimates } from '../../../../schema/api/quick-runs.ts';
import { api, readJson } from '../../api/client.ts';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { scoreText } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import styles from './runs.module.css';
import quickStyles from './QuickRun.module.css';

async function fetchQuickRunEstimates(id: string): Promise<Estimates> {
  return readJson(await api.analysis['quick-runs'][':id'].$get({ param: { id } }));
}

const interval = (e: { low: number; high: number }) => `[${scoreText(e.low)}, ${scoreText(e.high)}]`;

/**
 * A quick run's estimated full-benchmark scores, overall and per category, with their 95% intervals;
 * marked as estimates, since the run measured only the anchor scenarios.
 */
export function QuickRunEstimates({ runId, active }: { runId: string; active: boolean }) {
  const estimates = useQuery({
    queryKey: runKeys.quickEstimates(runId),
    queryFn: () => fetchQuickRunEstimates(runId),
    refetchInterval: active ? 5000 : false,
  });
  const e = estimates.data;
  const categories = e ? [...new Set(e.quick.anchors.map((a) => a.category))].sort() : [];
  return (
    <section className={`${results.panel} quick-estimates`} aria-labelledby="quick-title" data-testid="quick-estimates">
      <h2 id="quick-title">
        Estimated full-benchmark scores <span className={quickStyles.estimateBadge}>estimate</span>
      </h2>
      {estimates.error && <ErrorMessage error={estimates.error} />}
      {e && (
        <>
          <p className="muted">
            A quick run: {e.quick.anchors.length} anchor scenarios of the {e.quick.scenarios} that{' '}
            {e.quick.basisModels.length} models ran under the judge (asked for about {e.quick.k}; {e.quick.method}, seed{' '}
            {e.quick.seed}). Each figure estimates the model&apos;s mean over all {e.quick.scenarios}, ± the 95%
            half-width stated from the known models&apos; errors (overall ±{scoreText(e.quick.halfWidth)}). The
            leaderboard below measures the anchors only.
          </p>
          <div className={results.tableScroll}>
            <table className={results.table} data-testid="quick-estimate-table">
              <thead>
                <tr>
                  <th>Model</th>
                  <th className="num">Estimated mean [95% interval]</th>
                  {categories.map((c) => (
                    <th key={c} className="num">
                      {c} <small className="muted">±{scoreText(e.quick.categoryHalfWidths[c] ?? NaN)}</small>
                    </th>
                  ))}
                  <th className="num">Anchors scored</th>
                </tr>
              </thead>
              <tbody>
                {[...e.models]
                  .sort((a, b) => (b.overall?.estimate ?? -Infinity) - (a.overall?.estimate ?? -Infinity))
                  .map((m) => (
                    <tr key={m.model} data-testid="quick-estimate-row" data-model={m.model}>
                      <td className="mono">{m.model}</td>
                      <td className="num" data-testid="quick-estimate-overall">
                        {m.overall ? (
                          <>
                            ≈ {scoreText(m.overall.estimate)} <span className="muted">{interval(m.overall)}</span>
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                      {categories.map((c) => {
                        const x = m.categories.find((y) => y.category === c);
                        return (
                          <td key={c} className="num" title={x ? interval(x) : undefined}>
                            {x ? `≈ ${scoreText(x.estimate)}` : '–'}
                          </td>
                        );
                      })}
                      <td className={m.anchorsScored < e.quick.anchors.length ? `num ${styles.runBad}` : 'num'}>
                        {m.anchorsScored} / {e.quick.anchors.length}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
