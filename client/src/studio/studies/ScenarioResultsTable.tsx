import { Fragment, useState } from 'react';
import { Link } from 'wouter';
import type { StudyResults } from '../../../../schema/api/studies.ts';
import { CommentList } from './CommentList.tsx';
import { DistributionBar } from './DistributionBar.tsx';
import { flagSummary } from './flagLabels.ts';
import { GoldCell } from './GoldCell.tsx';
import { ValidatedBadge } from './ValidatedBadge.tsx';
import styles from './studies.module.css';

type ScenarioResult = StudyResults['scenarios'][number];

/** Every scenario of the study: count, mean, median, distribution, flags, stale ratings, state, gold. */
export function ScenarioResultsTable({ results, isAdmin }: { results: StudyResults; isAdmin: boolean }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const { study } = results;
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="panel" aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">
        Scenarios <span className="count">{results.scenarios.length}</span>
      </h2>
      <div className="table-scroll">
        <table className="data-table" data-testid="scenario-results">
          <thead>
            <tr>
              <th>Scenario</th>
              <th className="num">n</th>
              <th className="num">Mean</th>
              <th className="num">Median</th>
              <th>1–5</th>
              <th>Flags</th>
              <th className="num" title="Ratings of an older version of the scenario (not counted)">
                Stale
              </th>
              <th>State</th>
              <th title="Attention check: the range a careful rater gives">Gold</th>
            </tr>
          </thead>
          <tbody>
            {results.scenarios.map((s) => (
              <Fragment key={s.scenarioId}>
                <tr data-testid="scenario-result" data-id={s.scenarioId}>
                  <td className={styles.cellScenario}>
                    <Link href={`/studio/scenarios/${s.scenarioId}`}>{s.title}</Link>
                    <div className="mono muted">
                      {s.category} · {s.scenarioId}
                    </div>
                  </td>
                  <td className="num">{s.n}</td>
                  <td className="num">{s.mean === null ? '—' : s.mean.toFixed(2)}</td>
                  <td className="num">{s.median ?? '—'}</td>
                  <td>
                    <DistributionBar counts={s.distribution} />
                  </td>
                  <td className={styles.cellFlags}>{flagSummary(s.flags) || <span className="muted">—</span>}</td>
                  <td className="num">{s.stale || <span className="muted">0</span>}</td>
                  <td>
                    <ScenarioState s={s} minRatings={study.minRatings} />
                    {s.comments.length > 0 && (
                      <button
                        type="button"
                        className={`link-button ${styles.commentsToggle}`}
                        aria-expanded={open.has(s.scenarioId)}
                        data-testid="comments-toggle"
                        onClick={() => toggle(s.scenarioId)}
                      >
                        {s.comments.length} comment{s.comments.length === 1 ? '' : 's'}
                      </button>
                    )}
                  </td>
                  <td>
                    <GoldCell studyId={study.id} scenarioId={s.scenarioId} gold={s.gold} editable={isAdmin} />
                  </td>
                </tr>
                {open.has(s.scenarioId) && (
                  <tr className={styles.commentsRow}>
                    <td colSpan={9}>
                      <CommentList comments={s.comments} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ScenarioState({ s, minRatings }: { s: ScenarioResult; minRatings: number }) {
  if (s.validated) return <ValidatedBadge />;
  if (s.n >= minRatings) return <span className="badge badge-error">fails rule</span>;
  return <span className="muted">needs {minRatings - s.n} more</span>;
}
