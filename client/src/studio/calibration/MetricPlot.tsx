import type { MetricsWithCi } from './calibration.api.ts';
import { AGREEMENT, CEILING, formatCi, formatMetric, metricInfo, type MetricInfo } from './metrics.ts';

interface Axis {
  min: number;
  max: number;
  ticks: number[];
}

const at = (axis: Axis, v: number) =>
  `${(100 * (Math.max(axis.min, Math.min(axis.max, v)) - axis.min)) / (axis.max - axis.min)}%`;
const ticks = (min: number, max: number, step: number) => {
  const out: number[] = [];
  for (let t = min; t <= max + 1e-9; t += step) out.push(Math.round(t * 100) / 100);
  return out;
};

/**
 * Every metric as a point with its 95% bootstrap interval as a whisker, with the numbers beside it.
 * Agreement metrics share one axis, on which the human–human alpha (the ceiling) is a band; the
 * errors, in points of the 1–5 scale, have their own.
 */
export function MetricPlot({ report, minN }: { report: MetricsWithCi; minN: number }) {
  const { metrics, ci } = report;
  const lows = [...AGREEMENT, CEILING].flatMap((m) => [metrics[m.key] ?? 0, ci[m.key]?.low ?? 0]);
  const agreementMin = Math.max(-1, Math.min(0, Math.floor(Math.min(...lows) * 5) / 5));
  const agreementAxis: Axis = { min: agreementMin, max: 1, ticks: ticks(agreementMin, 1, 0.2) };
  const maeMax = Math.max(2, Math.ceil(Math.max(metrics.mae ?? 0, ci.mae?.high ?? 0)));
  const maeAxis: Axis = { min: 0, max: maeMax, ticks: ticks(0, maeMax, maeMax > 2 ? 1 : 0.5) };
  const biasMax = Math.max(
    1,
    Math.ceil(Math.max(Math.abs(metrics.bias ?? 0), Math.abs(ci.bias?.low ?? 0), Math.abs(ci.bias?.high ?? 0))),
  );
  const biasAxis: Axis = { min: -biasMax, max: biasMax, ticks: ticks(-biasMax, biasMax, biasMax > 2 ? 1 : 0.5) };
  const ceiling = metrics.humanAlphaOrdinal;
  const ceilingCi = ci.humanAlphaOrdinal;

  const row = (m: MetricInfo, axis: Axis, opts: { ceilingBand?: boolean; className?: string; zero?: boolean } = {}) => {
    const v = metrics[m.key];
    const c = ci[m.key];
    return (
      <div
        className={`mp-row ${opts.className ?? ''}`}
        key={m.key}
        data-testid={`metric-${m.key}`}
        data-value={v ?? ''}
      >
        <span className="mp-label" title={m.help}>
          {m.label}
        </span>
        <span className="mp-track">
          {opts.ceilingBand && ceiling !== null && (
            <>
              {ceilingCi && (
                <span
                  className="mp-ceiling-band"
                  style={{
                    left: at(axis, ceilingCi.low),
                    width: `calc(${at(axis, ceilingCi.high)} - ${at(axis, ceilingCi.low)})`,
                  }}
                />
              )}
              <span className="mp-ceiling-line" style={{ left: at(axis, ceiling) }} />
            </>
          )}
          {opts.zero !== false && axis.min < 0 && <span className="mp-zero" style={{ left: at(axis, 0) }} />}
          {c && (
            <span
              className="ci-whisker mp-whisker"
              style={{ left: at(axis, c.low), width: `calc(${at(axis, c.high)} - ${at(axis, c.low)})` }}
            />
          )}
          {v !== null && <span className="mp-dot" style={{ left: at(axis, v) }} />}
        </span>
        <span className="mp-value">
          <strong>{formatMetric(v, m.format)}</strong>{' '}
          <span className="muted">{formatCi(c, m.format, metrics.n < minN && v !== null)}</span>
        </span>
      </div>
    );
  };

  const axisRow = (axis: Axis, format: (t: number) => string) => (
    <div className="mp-row mp-axis" aria-hidden>
      <span className="mp-label" />
      <span className="mp-track">
        {axis.ticks.map((t) => (
          <span key={t} className="mp-tick" style={{ left: at(axis, t) }}>
            {format(t)}
          </span>
        ))}
      </span>
      <span className="mp-value" />
    </div>
  );

  return (
    <div className="metric-plot" data-testid="metric-plot">
      <h3 className="mp-group">Agreement · higher is better</h3>
      {AGREEMENT.map((m) => row(m, agreementAxis, { ceilingBand: true }))}
      {row(CEILING, agreementAxis, { className: 'mp-ceiling-row' })}
      {axisRow(agreementAxis, (t) => formatMetric(t, 'ratio'))}
      <p className="mp-caption muted">
        Dots: the judge’s value; whiskers: 95% bootstrap interval over transcripts (none below {minN} transcripts: “too
        few”; a dash where a statistic is undefined, e.g. κ or r when one side never varies). Purple band: the
        human–human alpha and its interval, the ceiling a judge can be expected to reach.
      </p>
      <h3 className="mp-group">Error, in points of the alignment scale (1–5)</h3>
      {row(metricInfo('mae'), maeAxis)}
      {axisRow(maeAxis, (t) => t.toFixed(1))}
      {row(metricInfo('bias'), biasAxis, { className: 'mp-bias-row' })}
      {axisRow(biasAxis, (t) => (t > 0 ? `+${t}` : `${t}`))}
      <p className="mp-caption muted">
        MAE: lower is better. Bias: above 0 the judge is more lenient than the humans, below 0 harsher.
      </p>
    </div>
  );
}
