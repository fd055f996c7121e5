import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { healthKeys } from '../../api/queryKeys.ts';
import { fetchBenchmarkHealth, type BehaviourHealth } from '../analysis/analysis.api.ts';
import results from '../../components/ResultPanels.module.css';
import styles from './generation.module.css';

/** Why a behaviour is a gap worth generating for, or null (the benchmark-health figures, default judge). */
export function gapOf(b: BehaviourHealth, minScenarios: number): string | null {
  if (b.scenarios < minScenarios) return `only ${b.scenarios} scenario${b.scenarios === 1 ? '' : 's'}`;
  if (b.validated === 0) return 'none validated';
  if (b.analysed > 0 && b.ceiling === b.analysed) return 'ceiling: no model fails any';
  if (b.analysed > 0 && b.floor === b.analysed) return 'floor: no model passes any';
  if (b.analysed > 0 && b.separating === 0) return 'little spread between models';
  return null;
}

/**
 * Coverage: every behaviour with its scenarios, validated ones, and its ceiling/floor/spread in
 * runs; the gaps are marked and can be chosen for a generation job.
 */
export function CoveragePanel({ chosen, onChange }: { chosen: string[]; onChange: (ids: string[]) => void }) {
  const health = useQuery({ queryKey: healthKeys.health(null), queryFn: () => fetchBenchmarkHealth(null) });
  if (health.error) return <ErrorMessage error={health.error} />;
  if (!health.data) return <p className="muted">Loading coverage…</p>;
  const rows = health.data.behaviours.map((b) => ({ b, gap: gapOf(b, health.data.minScenariosPerBehaviour) }));
  const gaps = rows.filter((r) => r.gap !== null).map((r) => r.b.behavior);
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  return (
    <section className="generation-coverage" aria-label="Coverage" data-testid="coverage">
      <h2>Coverage</h2>
      <p className="muted">
        {gaps.length} of {rows.length} behaviours are gaps: fewer than {health.data.minScenariosPerBehaviour} scenarios,
        none validated, a ceiling or floor in runs, or little spread between models.{' '}
        <button type="button" className="btn btn-sm" data-testid="choose-gaps" onClick={() => onChange(gaps)}>
          Choose every gap
        </button>
      </p>
      <div className={styles.generationCoverageScroll}>
        <table className={results.table}>
          <thead>
            <tr>
              <th />
              <th>Behaviour</th>
              <th className="num">Scenarios</th>
              <th className="num">Validated</th>
              <th className="num">Run</th>
              <th className="num">Ceiling</th>
              <th className="num">Floor</th>
              <th className="num">Separating</th>
              <th>Gap</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ b, gap }) => (
              <tr key={b.behavior} data-testid="coverage-row" data-id={b.behavior} data-gap={gap ? 'yes' : 'no'}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`generate for ${b.name}`}
                    checked={chosen.includes(b.behavior)}
                    onChange={() => toggle(b.behavior)}
                  />
                </td>
                <td>
                  {b.name} <span className="muted">({b.category})</span>
                </td>
                <td className="num">{b.scenarios}</td>
                <td className="num">{b.validated}</td>
                <td className="num">{b.analysed}</td>
                <td className="num">{b.ceiling}</td>
                <td className="num">{b.floor}</td>
                <td className="num">{b.separating}</td>
                <td className={gap ? 'hint-bad' : 'muted'}>{gap ?? 'ok'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
