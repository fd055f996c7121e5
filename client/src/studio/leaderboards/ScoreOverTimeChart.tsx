import type { CombinedModelRow } from './leaderboards.api.ts';
import results from '../../components/ResultPanels.module.css';
import styles from './leaderboards.module.css';

// Scores by release date, one line per model family (SVG, in the look of the run page's plots).

const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf3989', '#9a6700', '#0a7f8f', '#57606a'];
const NO_FAMILY = '(no family)';
const DAY = 86_400_000;

export interface ChartPoint {
  model: string;
  family: string;
  released: number;
  score: number;
}

/** The models with a release date, as points (score from `scoreOf`, null when the model has none). */
export function pointsOf(models: CombinedModelRow[], scoreOf: (m: CombinedModelRow) => number | null): ChartPoint[] {
  return models.flatMap((m) => {
    const score = scoreOf(m);
    return m.released && score !== null
      ? [{ model: m.model, family: m.family ?? NO_FAMILY, released: Date.parse(m.released), score }]
      : [];
  });
}

/** A colour per family, stable across the page's charts (families in name order). */
export function familyColours(models: CombinedModelRow[]): Map<string, string> {
  const families = [...new Set(models.map((m) => m.family ?? NO_FAMILY))].sort();
  return new Map(families.map((f, i) => [f, PALETTE[i % PALETTE.length]!]));
}

export function ScoreOverTimeChart({
  title,
  points,
  colours,
  width = 520,
  height = 240,
  testId,
}: {
  title: string;
  points: ChartPoint[];
  colours: Map<string, string>;
  width?: number;
  height?: number;
  testId?: string;
}) {
  const pad = { l: 34, r: 34, t: 12, b: 40 };
  const iw = width - pad.l - pad.r;
  const ih = height - pad.t - pad.b;
  const times = points.map((p) => p.released);
  // A month either side, so a lone date is not drawn on the frame.
  const t0 = (times.length ? Math.min(...times) : Date.now()) - 30 * DAY;
  const t1 = (times.length ? Math.max(...times) : Date.now()) + 30 * DAY;
  const x = (t: number) => pad.l + (iw * (t - t0)) / (t1 - t0);
  const y = (s: number) => pad.t + (ih * (5 - Math.max(1, Math.min(5, s)))) / 4;
  const families = [...new Set(points.map((p) => p.family))].sort();
  const yearTicks: number[] = [];
  for (let year = new Date(t0).getUTCFullYear(); year <= new Date(t1).getUTCFullYear() + 1; year++)
    for (const month of [0, 6]) {
      const t = Date.UTC(year, month, 1);
      if (t >= t0 && t <= t1) yearTicks.push(t);
    }
  return (
    <figure className={styles.timeChart} data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`${title}: ${points
          .map(
            (p) => `${p.model} (${p.family}) ${new Date(p.released).toISOString().slice(0, 10)}: ${p.score.toFixed(2)}`,
          )
          .join('; ')}`}
      >
        {[1, 2, 3, 4, 5].map((s) => (
          <g key={s}>
            <line
              x1={pad.l}
              x2={width - pad.r}
              y1={y(s)}
              y2={y(s)}
              className={s === 1 ? results.axisBase : results.axisGrid}
            />
            <text x={pad.l - 6} y={y(s) + 3.5} textAnchor="end" className={results.axisTick}>
              {s}
            </text>
          </g>
        ))}
        <rect x={pad.l} y={y(5)} width={iw} height={y(4) - y(5)} className={styles.timePassBand} />
        {yearTicks.map((t) => (
          <text key={t} x={x(t)} y={height - pad.b + 14} textAnchor="middle" className={results.axisTick}>
            {new Date(t).toISOString().slice(0, 7)}
          </text>
        ))}
        <text x={pad.l + iw / 2} y={height - 4} textAnchor="middle" className={results.axisLabel}>
          Release date
        </text>
        {families.map((f) => {
          const mine = points.filter((p) => p.family === f).sort((a, b) => a.released - b.released);
          const colour = colours.get(f) ?? PALETTE[0];
          return (
            <g key={f} data-family={f}>
              {f !== NO_FAMILY && mine.length > 1 && (
                <polyline
                  points={mine.map((p) => `${x(p.released)},${y(p.score)}`).join(' ')}
                  fill="none"
                  stroke={colour}
                  strokeWidth={2}
                />
              )}
              {mine.map((p) => (
                <g key={p.model} data-testid="time-point" data-model={p.model}>
                  <circle cx={x(p.released)} cy={y(p.score)} r={4} fill={colour}>
                    <title>{`${p.model} (${p.family}), released ${new Date(p.released).toISOString().slice(0, 10)}: ${p.score.toFixed(2)}`}</title>
                  </circle>
                  <text x={x(p.released) + 6} y={y(p.score) - 6} className={styles.timeLabel}>
                    {p.model}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
