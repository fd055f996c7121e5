import { useState } from 'react';
import type { BehaviourRow, Leaderboard } from './runs.api.ts';
import { band, onAlignmentPalette, scoreColour, scoreText, scoreTextColour, type ColourScale } from './scoreScale.ts';
import runsStyles from './runs.module.css';
import styles from './ScoreHeatmap.module.css';

export interface BehaviourGroup {
  category: string;
  name: string;
  behaviours: { id: string; name: string }[];
}

interface HeatmapProps {
  models: string[];
  groups: BehaviourGroup[];
  matrix: Leaderboard['matrix'];
  behaviours: BehaviourRow[];
  onPick(model: string, behaviour: string): void;
  /** The dimension on screen when it is not the primary (alignment): its own scale and direction. */
  dimension?: (ColourScale & { id: string }) | null;
}

const CELL_W = 28;
const CELL_H = 24;
const GROUP_GAP = 8;
const LABEL_W = 132;
const HEAD_H = 150;
const CATEGORY_H = 22;
const MEAN_GAP = 8;
const ANGLE = -60;

const BAND_CLASS = { pass: styles.bandPass, warn: styles.bandWarn, fail: styles.bandFail };
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Model x behaviour mean scores: models as rows (leaderboard order), behaviours as columns grouped
 * by category, each cell coloured on the 1-5 scale with its value; the last row is the mean over
 * models. Hover names the cell; a click opens the model's transcripts for that behaviour.
 */
export function ScoreHeatmap({ models, groups, matrix, behaviours, onPick, dimension = null }: HeatmapProps) {
  const palette = (v: number) => (dimension ? onAlignmentPalette(v, dimension) : v);
  const [hover, setHover] = useState<{ model: string | null; behaviour: string; x: number; y: number } | null>(null);
  const meanOf = new Map(behaviours.map((b) => [b.behavior, b]));

  const columns: { id: string; name: string; x: number; category: string }[] = [];
  let x = LABEL_W;
  const groupBoxes = groups.map((g) => {
    const start = x;
    for (const b of g.behaviours) {
      columns.push({ ...b, x, category: g.name });
      x += CELL_W;
    }
    const box = { ...g, x: start, width: x - start };
    x += GROUP_GAP;
    return box;
  });
  const width = x - GROUP_GAP + 90; // the last labels lean right
  const top = CATEGORY_H + HEAD_H;
  const meanY = top + models.length * CELL_H + MEAN_GAP;
  const height = meanY + CELL_H + 4;
  const tip = hover ? tooltipOf(hover, matrix, meanOf, columns, !dimension) : null;

  return (
    <div className={styles.heatmap} data-testid="heatmap" onMouseLeave={() => setHover(null)}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Mean score of ${models.length} models on ${columns.length} behaviours`}
        className={styles.heatmapSvg}
      >
        {groupBoxes.map((g) => (
          <g key={g.category} className={styles.heatmapCategory}>
            <text x={g.x + g.width / 2} y={14} textAnchor="middle">
              {clip(g.name, Math.max(4, Math.floor(g.width / 6.5)))}
            </text>
            <line x1={g.x + 1} x2={g.x + g.width - 1} y1={CATEGORY_H - 2} y2={CATEGORY_H - 2} />
          </g>
        ))}
        {columns.map((c) => (
          <text
            key={c.id}
            className={
              hover?.behaviour === c.id
                ? `${runsStyles.heatmapColLabel} ${runsStyles.active}`
                : runsStyles.heatmapColLabel
            }
            transform={`translate(${c.x + CELL_W / 2 + 3}, ${top - 6}) rotate(${ANGLE})`}
          >
            <title>{c.name}</title>
            {clip(c.name, 30)}
          </text>
        ))}
        {models.map((m, r) => {
          const y = top + r * CELL_H;
          return (
            <g key={m} data-testid="heatmap-row" data-model={m}>
              <text
                x={LABEL_W - 8}
                y={y + CELL_H / 2 + 4}
                textAnchor="end"
                className={
                  hover?.model === m ? `${runsStyles.heatmapRowLabel} ${runsStyles.active}` : runsStyles.heatmapRowLabel
                }
              >
                {clip(m, 20)}
              </text>
              {columns.map((c) => {
                const v = matrix[m]?.[c.id] ?? null;
                return (
                  <g
                    key={c.id}
                    className={styles.heatmapCell}
                    data-testid="heatmap-cell"
                    data-behaviour={c.id}
                    data-score={v ?? ''}
                    onMouseEnter={() => setHover({ model: m, behaviour: c.id, x: c.x, y })}
                    onClick={() => v !== null && onPick(m, c.id)}
                  >
                    <rect
                      x={c.x + 1}
                      y={y + 1}
                      width={CELL_W - 2}
                      height={CELL_H - 2}
                      rx={2}
                      fill={v === null ? 'url(#heatmap-none)' : scoreColour(palette(v))}
                    />
                    {v !== null && (
                      <text
                        x={c.x + CELL_W / 2}
                        y={y + CELL_H / 2 + 3.5}
                        textAnchor="middle"
                        fill={scoreTextColour(palette(v))}
                        className={styles.heatmapValue}
                      >
                        {v.toFixed(1)}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          );
        })}
        <text
          x={LABEL_W - 8}
          y={meanY + CELL_H / 2 + 4}
          textAnchor="end"
          className={`${runsStyles.heatmapRowLabel} ${styles.heatmapMeanLabel}`}
        >
          Mean of models
        </text>
        {columns.map((c) => {
          const v = meanOf.get(c.id)?.mean;
          return v === undefined ? null : (
            <g
              key={c.id}
              className={styles.heatmapCell}
              onMouseEnter={() => setHover({ model: null, behaviour: c.id, x: c.x, y: meanY })}
            >
              <rect
                x={c.x + 1}
                y={meanY + 1}
                width={CELL_W - 2}
                height={CELL_H - 2}
                rx={2}
                fill={scoreColour(palette(v))}
                className="heatmap-mean-cell"
              />
              <text
                x={c.x + CELL_W / 2}
                y={meanY + CELL_H / 2 + 3.5}
                textAnchor="middle"
                fill={scoreTextColour(palette(v))}
                className={styles.heatmapValue}
              >
                {v.toFixed(1)}
              </text>
            </g>
          );
        })}
        <defs>
          <pattern id="heatmap-none" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f6f8fa" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#d0d7de" strokeWidth="2" />
          </pattern>
        </defs>
      </svg>
      {tip && hover && (
        <div
          className={styles.heatmapTip}
          role="tooltip"
          data-testid="heatmap-tip"
          style={{ left: Math.min(hover.x + CELL_W + 6, width - 200), top: hover.y + CELL_H + 4 }}
        >
          {tip}
        </div>
      )}
      {dimension ? (
        <p className="muted" data-testid="heatmap-dimension-legend">
          {dimension.id}: {dimension.scale.min}–{dimension.scale.max},{' '}
          {dimension.direction === 'lower-better' ? 'lower' : 'higher'} is better (green); no pass threshold.
        </p>
      ) : (
        <ScoreLegend />
      )}
    </div>
  );
}

function tooltipOf(
  hover: { model: string | null; behaviour: string },
  matrix: Leaderboard['matrix'],
  meanOf: Map<string, BehaviourRow>,
  columns: { id: string; name: string; category: string }[],
  /** Verdict bands exist on the primary dimension only. */
  showBand: boolean,
) {
  const col = columns.find((c) => c.id === hover.behaviour);
  if (!col) return null;
  if (hover.model === null) {
    const b = meanOf.get(hover.behaviour);
    return (
      <>
        <strong>{col.name}</strong>
        <span className="muted">{col.category}</span>
        {b && (
          <span>
            Mean of models <strong>{scoreText(b.mean)}</strong> · spread {scoreText(b.spread)} · {b.modelsFailing}{' '}
            passing under half
          </span>
        )}
      </>
    );
  }
  const v = matrix[hover.model]?.[hover.behaviour] ?? null;
  return (
    <>
      <strong>
        {hover.model} · {col.name}
      </strong>
      <span className="muted">{col.category}</span>
      {v === null ? (
        <span>Not run</span>
      ) : (
        <>
          <span>
            Mean <strong>{scoreText(v)}</strong>{' '}
            {showBand && <span className={`${styles.band} ${BAND_CLASS[band(v)]}`}>{band(v)}</span>}
          </span>
          <span className="muted">Click to list the transcripts</span>
        </>
      )}
    </>
  );
}

/** The colour scale with the verdict bands under it. */
export function ScoreLegend() {
  const stops = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];
  return (
    <div className={styles.scoreLegend} aria-label="Colour scale: mean score 1 (fail) to 5 (pass)">
      <span className={styles.scoreLegendTitle}>Mean score</span>
      <span className={styles.scoreLegendScale}>
        <span
          className={styles.scoreLegendRamp}
          style={{ background: `linear-gradient(to right, ${stops.map((s) => scoreColour(s)).join(', ')})` }}
        />
        <span className={styles.scoreLegendTicks}>
          {[1, 2, 3, 4, 5].map((t) => (
            <span key={t} style={{ left: `${((t - 1) / 4) * 100}%` }}>
              {t}
            </span>
          ))}
        </span>
        <span className={styles.scoreLegendBands}>
          <span style={{ left: 0, width: '50%' }}>fail &lt; 3</span>
          <span style={{ left: '50%', width: '25%' }}>warn</span>
          <span style={{ left: '75%', width: '25%' }}>pass ≥ 4</span>
        </span>
      </span>
      <span className={styles.scoreLegendNone}>
        <svg width="16" height="12" aria-hidden>
          <rect width="16" height="12" rx="2" fill="url(#heatmap-none)" stroke="#d0d7de" />
        </svg>
        not run
      </span>
    </div>
  );
}
