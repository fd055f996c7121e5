import { useState } from 'react';
import type { Factors } from './runs.api.ts';
import { percentText } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './FactorAnalysisPanel.module.css';

const fmt = (n: number) => n.toFixed(3).replace(/^(-?)0\./, '$1.');
const minus = (s: string) => s.replace('-', '−');

/**
 * The factor structure of the model x behaviour matrix: plain warnings first, then the variance
 * each principal component explains (scree), Cronbach's alpha, and every behaviour's loading,
 * sorted, negative loadings called out.
 */
export function FactorAnalysisPanel({
  factors,
  behaviourName,
  totalBehaviours,
}: {
  factors: Factors | null;
  behaviourName(id: string): string;
  totalBehaviours: number;
}) {
  const [component, setComponent] = useState<1 | 2>(1);
  if (!factors) {
    return (
      <section className={results.panel} aria-labelledby="factors-title" data-testid="factors">
        <h2 id="factors-title">Factor analysis</h2>
        <p className={runsStyles.bannerPlain} data-testid="factor-warning">
          Not computed: it needs at least three models and two behaviours that every model ran.
        </p>
      </section>
    );
  }
  const constant = new Set(factors.constant);
  const loadings = component === 1 ? factors.loadings : factors.loadings2;
  const rows = factors.behaviourIds
    .map((id, i) => ({ id, i, value: loadings[i] ?? 0 }))
    .filter((r) => !constant.has(r.i))
    .sort((x, y) => y.value - x.value);
  const left = factors.behaviourIds.filter((_, i) => constant.has(i));
  const negative = rows.filter((r) => r.value < 0);
  const first = factors.explained[0];
  const second = factors.explained[1];
  const notAll = factors.behaviourIds.length < totalBehaviours;

  return (
    <section className={`${results.panel} factors`} aria-labelledby="factors-title" data-testid="factors">
      <h2 id="factors-title">Factor analysis</h2>
      <p className={`muted ${runsStyles.runPanelNote}`}>
        Principal components of the correlations between behaviours, with the {factors.models} models as observations,
        over the {factors.behaviourIds.length} behaviours every model ran
        {notAll ? ` (of ${totalBehaviours})` : ''}.
      </p>
      {factors.warnings.length > 0 && (
        <ul className={styles.factorWarnings} data-testid="factor-warnings">
          {factors.warnings.map((w) => (
            <li key={w} data-testid="factor-warning">
              <strong>Caution.</strong> {w}
            </li>
          ))}
        </ul>
      )}
      {factors.explained.length === 0 ? null : (
        <div className={styles.factorsGrid}>
          <div className="factors-side">
            <div className={styles.factorStats}>
              <div className={styles.runStat} data-testid="factor-first">
                <span className={styles.runStatValue}>{first === undefined ? '—' : percentText(first)}</span>
                <span className={styles.runStatLabel}>variance, 1st component</span>
              </div>
              <div className={styles.runStat} data-testid="factor-second">
                <span className={styles.runStatValue}>{second === undefined ? '—' : percentText(second)}</span>
                <span className={styles.runStatLabel}>variance, 2nd component</span>
              </div>
              <div className={styles.runStat} data-testid="cronbach-alpha">
                <span className={styles.runStatValue}>
                  {factors.cronbachAlpha === null ? '—' : fmt(factors.cronbachAlpha)}
                </span>
                <span className={styles.runStatLabel}>Cronbach’s alpha, raw</span>
              </div>
              <div className={styles.runStat} data-testid="cronbach-alpha-standardized">
                <span className={styles.runStatValue}>
                  {factors.cronbachAlphaStandardized === null ? '—' : fmt(factors.cronbachAlphaStandardized)}
                </span>
                <span className={styles.runStatLabel}>Cronbach’s alpha, standardized</span>
              </div>
            </div>
            <h3 className={styles.factorSubtitle}>Variance explained per component</h3>
            <Scree explained={factors.explained} models={factors.models} />
            <p className={`muted ${runsStyles.lbCaption}`}>
              Share of the total variance of the standardised behaviour scores each component explains (with{' '}
              {factors.models} models, at most {Math.max(1, factors.models - 1)} components can carry any). One dominant
              first component means the behaviours mostly rank models the same way. Cronbach’s alpha treats the
              behaviours as items of one scale, models as cases: raw from the scores’ covariances, standardized from
              their correlations (the matrix the components come from).
            </p>
          </div>
          <div className="factors-main">
            <div className={styles.factorHead}>
              <h3 className={styles.factorSubtitle}>Loadings on component {component}</h3>
              <span className={runsStyles.segmented} role="group" aria-label="Component">
                {([1, 2] as const).map((c) => (
                  <button
                    key={c}
                    type="button"
                    className={component === c ? runsStyles.active : ''}
                    aria-pressed={component === c}
                    disabled={c === 2 && factors.loadings2.length === 0}
                    onClick={() => setComponent(c)}
                  >
                    {c === 1 ? '1st' : '2nd'}
                  </button>
                ))}
              </span>
            </div>
            {negative.length > 0 ? (
              <p className={styles.factorNegative} data-testid="negative-loadings">
                <strong>
                  {negative.length} negative loading{negative.length === 1 ? '' : 's'}:
                </strong>{' '}
                {negative.map((r) => `${behaviourName(r.id)} (${minus(fmt(r.value))})`).join(', ')}.{' '}
                {negative.length === 1 ? 'It runs' : 'They run'} against the common direction on this component.
              </p>
            ) : (
              <p className={`muted ${styles.factorNegativeNone}`}>
                Every behaviour loads positively on this component.
              </p>
            )}
            <LoadingBars rows={rows} behaviourName={behaviourName} />
            {left.length > 0 && (
              <p className={`muted ${runsStyles.lbCaption}`}>
                Left out (every model scored the same): {left.map(behaviourName).join(', ')}.
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * Bars of variance explained, the first two components emphasised, on a 0-100% axis. With n models
 * as observations the centred scores span at most n − 1 dimensions: later components are zero by
 * construction, so at most n − 1 (and 8) are drawn.
 */
function Scree({ explained, models }: { explained: number[]; models: number }) {
  const shown = explained.slice(0, Math.min(8, explained.length, Math.max(1, models - 1)));
  const W = 300;
  const H = 150;
  const pad = { l: 36, r: 8, t: 14, b: 34 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const bw = iw / shown.length;
  const y = (v: number) => pad.t + ih * (1 - v);
  return (
    <svg
      className={styles.scree}
      width={W}
      height={H}
      role="img"
      aria-label={`Variance explained: ${shown.map((v, i) => `component ${i + 1} ${percentText(v)}`).join(', ')}`}
      data-testid="scree"
    >
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g key={t}>
          <line
            x1={pad.l}
            x2={W - pad.r}
            y1={y(t)}
            y2={y(t)}
            className={t === 0 ? results.axisBase : results.axisGrid}
          />
          <text x={pad.l - 5} y={y(t) + 3.5} textAnchor="end" className={results.axisTick}>
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      {shown.map((v, i) => (
        <g key={i}>
          <rect
            x={pad.l + i * bw + bw * 0.15}
            y={y(v)}
            width={bw * 0.7}
            height={Math.max(0, ih * v)}
            className={i < 2 ? `${styles.screeBar} ${styles.main}` : styles.screeBar}
            rx={2}
          />
          {v >= 0.005 && (
            <text x={pad.l + i * bw + bw / 2} y={y(v) - 4} textAnchor="middle" className={styles.screeValue}>
              {Math.round(v * 100)}%
            </text>
          )}
          <text x={pad.l + i * bw + bw / 2} y={H - pad.b + 13} textAnchor="middle" className={results.axisTick}>
            {i + 1}
          </text>
        </g>
      ))}
      <text x={pad.l + iw / 2} y={H - 4} textAnchor="middle" className={results.axisLabel}>
        Component
      </text>
    </svg>
  );
}

/** One bar a behaviour from zero on a −1..1 axis, sorted; negative ones in their own colour. */
function LoadingBars({
  rows,
  behaviourName,
}: {
  rows: { id: string; value: number }[];
  behaviourName(id: string): string;
}) {
  const at = (v: number) => `${(100 * (Math.max(-1, Math.min(1, v)) + 1)) / 2}%`;
  const ticks = [-1, -0.5, 0, 0.5, 1];
  return (
    <div className={runsStyles.loadings} data-testid="loadings">
      {rows.map((r) => (
        <div
          className={r.value < 0 ? `${styles.loadingRow} ${styles.negative}` : styles.loadingRow}
          key={r.id}
          data-testid="loading-row"
          data-behaviour={r.id}
          data-loading={r.value}
        >
          <span className={styles.loadingLabel} title={behaviourName(r.id)}>
            {behaviourName(r.id)}
          </span>
          <span className={styles.loadingTrack}>
            {ticks.map((t) => (
              <span key={t} className={t === 0 ? styles.loadingZero : styles.loadingGrid} style={{ left: at(t) }} />
            ))}
            <span
              className={styles.loadingBar}
              style={
                r.value >= 0
                  ? { left: at(0), width: `calc(${at(r.value)} - ${at(0)})` }
                  : { left: at(r.value), width: `calc(${at(0)} - ${at(r.value)})` }
              }
            />
          </span>
          <span className={styles.loadingValue}>{minus(fmt(r.value))}</span>
        </div>
      ))}
      <div className={`${styles.loadingRow} ${styles.loadingAxis}`} aria-hidden>
        <span />
        <span className={styles.loadingTrack}>
          {ticks.map((t) => (
            <span key={t} className={runsStyles.loadingTick} style={{ left: at(t) }}>
              {minus(String(t))}
            </span>
          ))}
        </span>
        <span />
      </div>
      <p className={`${runsStyles.forestAxisLabel} muted`}>Loading (correlation of the behaviour with the component)</p>
    </div>
  );
}
