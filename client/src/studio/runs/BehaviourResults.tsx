import { useState } from 'react';
import type { BehaviourRow, Leaderboard } from './runs.api.ts';
import { scoreColour, scoreText } from './scoreScale.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './BehaviourResults.module.css';

interface Names {
  behaviourName(id: string): string;
  categoryName(id: string): string;
}

const at = (score: number) => `${(100 * (Math.max(1, Math.min(5, score)) - 1)) / 4}%`;

/** Each model's mean on one behaviour as a dot on the 1-5 axis, the mean of models as a bar: the spread at a glance. */
function Strip({
  behaviour,
  matrix,
  models,
}: {
  behaviour: BehaviourRow;
  matrix: Leaderboard['matrix'];
  models: string[];
}) {
  const points = models
    .map((m) => ({ m, v: matrix[m]?.[behaviour.behavior] ?? null }))
    .filter((p): p is { m: string; v: number } => p.v !== null);
  const lo = Math.min(...points.map((p) => p.v));
  const hi = Math.max(...points.map((p) => p.v));
  return (
    <span
      className={styles.strip}
      role="img"
      aria-label={`model means from ${scoreText(lo)} to ${scoreText(hi)}, mean ${scoreText(behaviour.mean)}`}
    >
      <span className={styles.stripPass} style={{ left: at(4), right: 0 }} />
      {points.length > 1 && (
        <span className={styles.stripRange} style={{ left: at(lo), width: `calc(${at(hi)} - ${at(lo)})` }} />
      )}
      {points.map((p) => (
        <span
          key={p.m}
          className={styles.stripDot}
          style={{ left: at(p.v), background: scoreColour(p.v) }}
          title={`${p.m}: ${scoreText(p.v)}`}
        />
      ))}
      <span
        className={styles.stripMean}
        style={{ left: at(behaviour.mean) }}
        title={`mean of models ${scoreText(behaviour.mean)}`}
      />
    </span>
  );
}

function StripAxis() {
  return (
    <span className={styles.stripAxis} aria-hidden>
      {[1, 2, 3, 4, 5].map((t) => (
        <span key={t} style={{ left: at(t) }}>
          {t}
        </span>
      ))}
    </span>
  );
}

/** The hardest (lowest mean) or most discriminating (widest spread across models) behaviours. */
export function BehaviourShortlist({
  title,
  note,
  ids,
  board,
  names,
  testId,
  onPick,
}: {
  title: string;
  note: string;
  ids: string[];
  board: Leaderboard;
  names: Names;
  testId: string;
  onPick(behaviour: string): void;
}) {
  const rows = ids
    .map((id) => board.behaviours.find((b) => b.behavior === id))
    .filter((b): b is BehaviourRow => b !== undefined);
  const models = board.models.map((m) => m.model);
  return (
    <section className={results.panel} data-testid={testId}>
      <h2>{title}</h2>
      <p className={`muted ${runsStyles.runPanelNote}`}>{note}</p>
      <ol className={styles.shortlist}>
        {rows.map((b) => (
          <li key={b.behavior} data-testid="shortlist-item" data-behaviour={b.behavior}>
            <span className={styles.shortlistName}>
              <button
                type="button"
                className="link-button"
                onClick={() => onPick(b.behavior)}
                title="Show its transcripts"
              >
                {names.behaviourName(b.behavior)}
              </button>
              <span className="muted"> · {names.categoryName(b.category)}</span>
            </span>
            <span className={styles.shortlistFigures}>
              mean <strong>{scoreText(b.mean)}</strong> · spread <strong>{scoreText(b.spread)}</strong> ·{' '}
              {b.modelsFailing} of {models.length} models pass under half
            </span>
            <Strip behaviour={b} matrix={board.matrix} models={models} />
          </li>
        ))}
      </ol>
      <div className={styles.shortlistAxis}>
        <StripAxis />
      </div>
    </section>
  );
}

type SortKey = 'behavior' | 'category' | 'mean' | 'spread' | 'modelsFailing';

/** Every behaviour: mean over models, spread (best minus worst model), how many models fail it; sortable. */
export function BehaviourTable({
  board,
  names,
  onPick,
}: {
  board: Leaderboard;
  names: Names;
  onPick(behaviour: string): void;
}) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'mean', desc: false });
  const models = board.models.map((m) => m.model);
  const value = (b: BehaviourRow, key: SortKey) =>
    key === 'behavior' ? names.behaviourName(b.behavior) : key === 'category' ? names.categoryName(b.category) : b[key];
  const rows = [...board.behaviours].sort((a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -c : c;
  });
  const header = (key: SortKey, label: string, num = false) => (
    <th
      className={num ? 'num' : undefined}
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() =>
          setSort((s) => ({
            key,
            desc: s.key === key ? !s.desc : key !== 'behavior' && key !== 'category' && key !== 'mean',
          }))
        }
      >
        {label}
        <span className="sort-mark" aria-hidden>
          {sort.key === key ? (sort.desc ? '▼' : '▲') : ''}
        </span>
      </button>
    </th>
  );
  return (
    <div className={results.tableScroll}>
      <table className={`${results.table} ${styles.behaviourTable}`} data-testid="behaviour-table">
        <thead>
          <tr>
            {header('behavior', 'Behaviour')}
            {header('category', 'Category')}
            {header('mean', 'Mean', true)}
            {header('spread', 'Spread', true)}
            {header('modelsFailing', 'Models passing under half', true)}
            <th className={styles.stripCol}>
              <StripAxis />
              <span className="sr-only">Each model’s mean</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.behavior} data-testid="behaviour-row" data-behaviour={b.behavior}>
              <td>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onPick(b.behavior)}
                  title="Show its transcripts"
                >
                  {names.behaviourName(b.behavior)}
                </button>
              </td>
              <td className="muted">{names.categoryName(b.category)}</td>
              <td className="num">
                <span
                  className={styles.scoreChip}
                  style={{ background: scoreColour(b.mean) }}
                  data-testid="behaviour-swatch"
                  aria-hidden
                />
                {scoreText(b.mean)}
              </td>
              <td className="num">{scoreText(b.spread)}</td>
              <td className="num">
                {b.modelsFailing}
                <span className="muted"> / {models.length}</span>
              </td>
              <td className={styles.stripCol}>
                <Strip behaviour={b} matrix={board.matrix} models={models} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={`muted ${runsStyles.lbCaption}`}>
        Spread: the best model’s mean minus the worst’s. Models passing under half: models for which fewer than half the
        scenarios of the behaviour pass (≥ 4). Dots: each model’s mean; the dark tick: the mean of models.
      </p>
    </div>
  );
}
