import type { JudgeVersion } from '../../../../schema/judge.ts';
import type { MetricsWithCi } from './calibration.api.ts';
import { ConfusionGrid } from './ConfusionGrid.tsx';
import { ALL_METRICS, compareMetric, formatCi, formatMetric } from './metrics.ts';

const SCORES = ['1', '2', '3', '4', '5'];

interface CompareReportsProps {
  current: { version: JudgeVersion; report: MetricsWithCi };
  candidate: { version: JudgeVersion; report: MetricsWithCi };
  minN: number;
}

/** Two judge versions on the same annotated transcripts: every metric side by side, then both confusion matrices. */
export function CompareReports({ current, candidate, minN }: CompareReportsProps) {
  const label = (v: JudgeVersion) => `${v.name} v${v.version}`;
  return (
    <div className="compare" data-testid="compare">
      <table className="data-table compare-table">
        <thead>
          <tr>
            <th>Metric</th>
            <th className="num">{label(current.version)} (current)</th>
            <th className="num">{label(candidate.version)} (candidate)</th>
            <th className="num">Change</th>
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
            const delta = a !== null && b !== null ? b - a : null;
            return (
              <tr key={m.key} data-testid={`compare-${m.key}`}>
                <td title={m.help}>{m.label}</td>
                <td className="num">
                  {formatMetric(a, m.format)}{' '}
                  <span className="ci-inline">
                    {formatCi(current.report.ci[m.key], m.format, current.report.metrics.n < minN && a !== null)}
                  </span>
                </td>
                <td className="num">
                  {formatMetric(b, m.format)}{' '}
                  <span className="ci-inline">
                    {formatCi(candidate.report.ci[m.key], m.format, candidate.report.metrics.n < minN && b !== null)}
                  </span>
                </td>
                <td className={`num delta ${better > 0 ? 'better' : better < 0 ? 'worse' : ''}`}>
                  {m.key === 'humanAlphaOrdinal' || delta === null
                    ? ''
                    : `${delta > 0 ? '+' : ''}${m.format === 'percent' ? `${Math.round(delta * 100)} pts` : delta.toFixed(2)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="compare-grids">
        {[current, candidate].map((side, i) => (
          <div key={i}>
            <h3 className="compare-grid-title">{label(side.version)}</h3>
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
