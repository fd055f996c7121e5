import { Link } from 'wouter';
import type { StudyResults } from '../../../../schema/api/studies.ts';
import { CommentList } from './CommentList.tsx';
import { DistributionBar } from './DistributionBar.tsx';
import { flagSummary } from './flagLabels.ts';
import styles from './studies.module.css';

type ScenarioResult = StudyResults['scenarios'][number];

/** Scenarios with enough ratings that still miss the rule, lowest mean first, with what raters said. */
export function FailingList({ scenarios, minMean }: { scenarios: ScenarioResult[]; minMean: number }) {
  return (
    <section className="panel" aria-labelledby="failing-title" data-testid="failing-list">
      <h2 id="failing-title">
        Failing the rule <span className="count">{scenarios.length}</span>
      </h2>
      {scenarios.length === 0 ? (
        <p className="muted">No scenario with enough ratings falls below a mean of {minMean}.</p>
      ) : (
        <ul className={styles.failing}>
          {[...scenarios]
            .sort((a, b) => (a.mean ?? 0) - (b.mean ?? 0))
            .map((s) => (
              <li
                key={s.scenarioId}
                className={styles.failingItem}
                data-testid="failing-scenario"
                data-id={s.scenarioId}
              >
                <div className={styles.failingHead}>
                  <Link
                    href={`/studio/scenarios/${s.scenarioId}`}
                    className="strong"
                    title="Open in the editor to revise it"
                  >
                    {s.title}
                  </Link>
                  <span className="mono muted">{s.scenarioId}</span>
                  <span className="spacer" />
                  <span>
                    mean <strong>{s.mean?.toFixed(2)}</strong> of {s.n}
                  </span>
                  <DistributionBar counts={s.distribution} />
                  <Link href={`/studio/scenarios/${s.scenarioId}`} className="btn btn-sm">
                    Revise
                  </Link>
                </div>
                {Object.keys(s.flags).length > 0 && <p className="muted">Flagged: {flagSummary(s.flags)}</p>}
                <CommentList comments={s.comments} />
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
