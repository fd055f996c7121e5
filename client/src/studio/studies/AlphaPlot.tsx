import type { StudyResults } from '../../../../schema/api/studies.ts';
import styles from './studies.module.css';

type Ci = { low: number; high: number } | null;
interface Row {
  label: string;
  alpha: number | null;
  ci: Ci;
  units?: number;
}

// Krippendorff's own guide: rely on alpha >= .800, draw tentative conclusions from .667.
const THRESHOLDS = [0.667, 0.8];

const fmt = (n: number) => n.toFixed(2).replace(/^(-?)0\./, '$1.');

/**
 * Krippendorff's alpha (ordinal) overall and per category: a bar from zero to alpha and a whisker
 * over the 95% bootstrap interval, on a shared axis with the usual reliability thresholds.
 */
export function AlphaPlot({ alpha }: { alpha: StudyResults['alpha'] }) {
  const rows: Row[] = [
    { label: 'Overall', alpha: alpha.overall, ci: alpha.ci, units: alpha.units },
    ...Object.entries(alpha.byCategory)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, c]) => ({ label, alpha: c.alpha, ci: c.ci, units: c.units })),
  ];
  const lows = rows.flatMap((r) => [r.alpha ?? 0, r.ci?.low ?? 0]);
  const min = Math.min(0, Math.floor(Math.min(...lows) * 5) / 5);
  const max = 1;
  const x = (v: number) => `${(100 * (Math.max(min, Math.min(max, v)) - min)) / (max - min)}%`;
  const ticks = [];
  for (let t = min; t <= max + 1e-9; t += 0.2) ticks.push(Math.round(t * 10) / 10);

  return (
    <div className={styles.alphaPlot} data-testid="alpha-plot">
      {rows.map((r, i) => (
        <div
          className={i === 0 ? `${styles.alphaRow} ${styles.overall}` : styles.alphaRow}
          key={r.label}
          data-testid={i === 0 ? 'alpha-overall' : 'alpha-category'}
        >
          <span className={styles.alphaLabel} title={r.label}>
            {r.label}
          </span>
          <span className={styles.alphaTrack}>
            {THRESHOLDS.map((t) => (
              <span key={t} className={styles.alphaThreshold} style={{ left: x(t) }} />
            ))}
            <span className={styles.alphaZero} style={{ left: x(0) }} />
            {r.alpha !== null && (
              <span
                className={
                  r.alpha >= 0.8
                    ? `${styles.alphaBar} ${styles.good}`
                    : r.alpha >= 0.667
                      ? `${styles.alphaBar} ${styles.fair}`
                      : `${styles.alphaBar} ${styles.poor}`
                }
                style={
                  r.alpha >= 0
                    ? { left: x(0), width: `calc(${x(r.alpha)} - ${x(0)})` }
                    : { left: x(r.alpha), width: `calc(${x(0)} - ${x(r.alpha)})` }
                }
              />
            )}
            {r.ci && (
              <span
                className={`ci-whisker ${styles.alphaWhisker}`}
                style={{ left: x(r.ci.low), width: `calc(${x(r.ci.high)} - ${x(r.ci.low)})` }}
              />
            )}
          </span>
          <span className={styles.alphaValue}>
            {r.alpha === null ? (
              <span className="muted">not enough ratings</span>
            ) : (
              <>
                <strong>{fmt(r.alpha)}</strong>
                {r.ci ? (
                  <span className="muted">
                    {' '}
                    [{fmt(r.ci.low)}, {fmt(r.ci.high)}]
                  </span>
                ) : (
                  r.units !== undefined &&
                  r.units < alpha.minUnits && (
                    <span className="muted" data-testid="alpha-too-few">
                      {' '}
                      too few for an interval
                    </span>
                  )
                )}
              </>
            )}
            {r.units !== undefined && (
              <span className="muted">
                {' '}
                · {r.units} scenario{r.units === 1 ? '' : 's'}
              </span>
            )}
          </span>
        </div>
      ))}
      <div className={`${styles.alphaRow} ${styles.alphaAxis}`} aria-hidden>
        <span className={styles.alphaLabel} />
        <span className={styles.alphaTrack}>
          {ticks.map((t) => (
            <span key={t} className={styles.alphaTick} style={{ left: x(t) }}>
              {fmt(t)}
            </span>
          ))}
        </span>
        <span className={styles.alphaValue} />
      </div>
      <p className={`${styles.alphaCaption} muted`}>
        Dashed lines: .667 (tentative conclusions) and .800 (reliable), after Krippendorff. Gold (attention-check)
        scenarios are left out of alpha; no interval below {alpha.minUnits} scenarios rated by two or more.
      </p>
    </div>
  );
}
