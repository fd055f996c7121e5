import type { JudgeVersion } from '../../../../schema/judge.ts';
import type { HeldOutComparison, MetricsWithCi } from './calibration.api.ts';
import { ConfusionGrid } from './ConfusionGrid.tsx';
import { ALL_METRICS, compareMetric, formatCi, formatMetric } from './metrics.ts';
import styles from './calibration.module.css';

const SCORES = ['1', '2', '3', '4', '5'];

interface CompareReportsProps {
  current: { version: JudgeVersion; report: MetricsWithCi };
  candidate: { version: JudgeVersion; report: MetricsWithCi };
  minN: number;
  /** Candidate minus current per metric, with paired bootstrap intervals. */
  difference: HeldOutComparison['comparison']['difference'];
}

/** Two judge versions on the same held-out transcripts: every metric side by side with the paired difference, then both confusion matrices. */
export function CompareReports({ current, candidate, minN, difference }: CompareReportsProps) {
  const label = (v: JudgeVersion) => `${v.name} v${v.version}`;
  return (
    <div className={styles.compare} data-testid="compare">
      <table className={`data-table ${styles.compareTable}`}>
        <thead>
          <tr>
            <th>Metric</th>
            <th className="num">{label(current.version)} (current)</th>
            <th className="num">{label(candidate.version)} (candidate)</th>
            <th className="num">Change [paired 95% CI]</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Annotated transcripts with a verdict</td>
            <td className="num">{current.report.metrics.n}</td>
            <td className="num">{candidate.report.metrics.n}</td>
            <td />
          </tr>
          <tr>
            <td>Judge’s mean score (alignment 1–5)</td>
            <td className="num">{formatMetric(current.report.metrics.judgeMean, 'score')}</td>
            <td className="num">{formatMetric(candidate.report.metrics.judgeMean, 'score')}</td>
            <td />
          </tr>
          {ALL_METRICS.map((m) => {
            const a = current.report.metrics[m.key];
            const b = candidate.report.metrics[m.key];
            const better = compareMetric(m, a, b);
            const delta = difference[m.key].value;
            const dci = difference[m.key].ci;
            const fmtDelta = (x: number) =>
              `${x > 0 ? '+' : ''}${m.format === 'percent' ? `${Math.round(x * 100)} pts` : x.toFixed(2)}`;
            return (
              <tr key={m.key} data-testid={`compare-${m.key}`}>
                <td title={m.help}>{m.label}</td>
                <td className="num">
                  {formatMetric(a, m.format)}{' '}
                  <span className={styles.ciInline}>
                    {formatCi(current.report.ci[m.key], m.format, current.report.metrics.n < minN && a !== null)}
                  </span>
                </td>
                <td className="num">
                  {formatMetric(b, m.format)}{' '}
                  <span className={styles.ciInline}>
                    {formatCi(candidate.report.ci[m.key], m.format, candidate.report.metrics.n < minN && b !== null)}
                  </span>
                </td>
                <td className={`num ${styles.delta} ${better > 0 ? styles.better : better < 0 ? styles.worse : ''}`}>
                  {m.key === 'humanAlphaOrdinal' || delta === null ? (
                    ''
                  ) : (
                    <>
                      {fmtDelta(delta)}{' '}
                      <span className={styles.ciInline} data-testid="delta-ci">
                        {dci
                          ? `[${fmtDelta(dci.low)}, ${fmtDelta(dci.high)}]`
                          : current.report.metrics.n < minN
                            ? 'too few'
                            : ''}
                      </span>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className={styles.compareGrids}>
        {[current, candidate].map((side, i) => (
          <div key={i}>
            <h3 className={styles.compareGridTitle}>{label(side.version)}</h3>
            <ConfusionGrid
              matrix={side.report.confusion}
              labels={SCORES}
              rowTitle="Humans"
              colTitle="Judge"
              testId={i === 0 ? 'compare-confusion-current' : 'compare-confusion-candidate'}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
