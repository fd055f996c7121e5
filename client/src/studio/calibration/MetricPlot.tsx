import type { MetricsWithCi } from './calibration.api.ts';
import { AGREEMENT, CEILING, formatCi, formatMetric, metricInfo, type MetricInfo } from './metrics.ts';
import styles from './calibration.module.css';

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
        className={`${styles.mpRow} ${opts.className ?? ''}`}
        key={m.key}
        data-testid={`metric-${m.key}`}
        data-value={v ?? ''}
      >
        <span className={styles.mpLabel} title={m.help}>
          {m.label}
        </span>
        <span className={styles.mpTrack}>
          {opts.ceilingBand && ceiling !== null && (
            <>
              {ceilingCi && (
                <span
                  className={styles.mpCeilingBand}
                  style={{
                    left: at(axis, ceilingCi.low),
                    width: `calc(${at(axis, ceilingCi.high)} - ${at(axis, ceilingCi.low)})`,
                  }}
                />
              )}
              <span className={styles.mpCeilingLine} style={{ left: at(axis, ceiling) }} />
            </>
          )}
          {opts.zero !== false && axis.min < 0 && <span className={styles.mpZero} style={{ left: at(axis, 0) }} />}
          {c && (
            <span
              className={`ci-whisker ${styles.mpWhisker}`}
              style={{ left: at(axis, c.low), width: `calc(${at(axis, c.high)} - ${at(axis, c.low)})` }}
            />
          )}
          {v !== null && <span className={styles.mpDot} style={{ left: at(axis, v) }} />}
        </span>
        <span className={styles.mpValue}>
          <strong>{formatMetric(v, m.format)}</strong>{' '}
          <span className="muted">{formatCi(c, m.format, metrics.n < minN && v !== null)}</span>
        </span>
      </div>
    );
  };

  const axisRow = (axis: Axis, format: (t: number) => string) => (
    <div className={`${styles.mpRow} ${styles.mpAxis}`} aria-hidden>
      <span className={styles.mpLabel} />
      <span className={styles.mpTrack}>
        {axis.ticks.map((t) => (
          <span key={t} className={styles.mpTick} style={{ left: at(axis, t) }}>
            {format(t)}
          </span>
        ))}
      </span>
      <span className={styles.mpValue} />
    </div>
  );

  return (
    <div className={styles.metricPlot} data-testid="metric-plot">
      <h3 className={styles.mpGroup}>Agreement · higher is better</h3>
      {AGREEMENT.map((m) => row(m, agreementAxis, { ceilingBand: true }))}
      {row(CEILING, agreementAxis, { className: styles.mpCeilingRow })}
      {axisRow(agreementAxis, (t) => formatMetric(t, 'ratio'))}
      <p className={`${styles.mpCaption} muted`}>
        Dots: the judge’s value; whiskers: 95% bootstrap interval over transcripts (none below {minN} transcripts: “too
        few”; a dash where a statistic is undefined, e.g. κ or r when one side never varies). Purple band: the
        human–human alpha and its interval, the ceiling a judge can be expected to reach.
      </p>
      <h3 className={styles.mpGroup}>Error, in points of the alignment scale (1–5)</h3>
      {row(metricInfo('mae'), maeAxis)}
      {axisRow(maeAxis, (t) => t.toFixed(1))}
      {row(metricInfo('bias'), biasAxis, { className: 'mp-bias-row' })}
      {axisRow(biasAxis, (t) => (t > 0 ? `+${t}` : `${t}`))}
      <p className={`${styles.mpCaption} muted`}>
        MAE: lower is better. Bias: above 0 the judge is more lenient than the humans, below 0 harsher.
      </p>
    </div>
  );
}
