import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../dialogs/ErrorMessage.tsx';
import { runKeys } from '../../api/queryKeys.ts';
import { fetchComparison, type Comparison } from './runs.api.ts';
import results from '../../components/ResultPanels.module.css';
import runsStyles from './runs.module.css';
import styles from './CompareModels.module.css';

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(2)}`;

/** Two models side by side: the paired difference per behaviour as a forest plot, Bonferroni-corrected. */
export function CompareModels({
  runId,
  judgeVersionId,
  dimension = null,
  models,
  behaviourName,
}: {
  runId: string;
  judgeVersionId: string | null;
  /** The dimension compared (null: the primary). */
  dimension?: string | null;
  models: string[];
  behaviourName(id: string): string;
}) {
  const [a, setA] = useState(models[0] ?? '');
  const [b, setB] = useState(models[1] ?? '');
  const [family, setFamily] = useState<'pair' | 'all'>('pair');
  const ready = a !== '' && b !== '' && a !== b;
  const cmp = useQuery({
    queryKey: runKeys.compare(runId, judgeVersionId, a, b, family, dimension),
    queryFn: () => fetchComparison(runId, judgeVersionId, a, b, family, dimension),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const picker = (value: string, set: (v: string) => void, label: string, testId: string) => (
    <label className={runsStyles.comparePick}>
      <span>{label}</span>
      <select value={value} data-testid={testId} onChange={(e) => set(e.target.value)}>
        {models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className={results.panel} aria-labelledby="compare-title" data-testid="compare">
      <h2 id="compare-title">Compare two models</h2>
      <div className={runsStyles.compareControls}>
        {picker(a, setA, 'A', 'compare-a')}
        <button
          type="button"
          className="btn btn-sm"
          title="Swap A and B"
          onClick={() => {
            setA(b);
            setB(a);
          }}
        >
          ⇄
        </button>
        {picker(b, setB, 'B', 'compare-b')}
        {!ready && <span className="muted">Pick two different models.</span>}
        <label className="check-field" title="Bonferroni over every behaviour of every model pair in the run">
          <input
            type="checkbox"
            checked={family === 'all'}
            data-testid="compare-family-all"
            onChange={(e) => setFamily(e.target.checked ? 'all' : 'pair')}
          />
          Correct over all model pairs
        </label>
      </div>
      {cmp.error && <ErrorMessage error={cmp.error} />}
      {ready && cmp.data && cmp.data.a === a && cmp.data.b === b && cmp.data.family.kind === family && (
        <ForestPlot cmp={cmp.data} behaviourName={behaviourName} />
      )}
    </section>
  );
}

function ForestPlot({ cmp, behaviourName }: { cmp: Comparison; behaviourName(id: string): string }) {
  const rows = [...cmp.behaviours].sort(
    (x, y) => y.meanDifference - x.meanDifference || x.behavior.localeCompare(y.behavior),
  );
  const extent = Math.max(
    1,
    Math.min(
      4,
      Math.ceil(
        Math.max(
          ...rows.flatMap((r) => [Math.abs(r.meanDifference), Math.abs(r.ci?.low ?? 0), Math.abs(r.ci?.high ?? 0)]),
        ),
      ),
    ),
  );
  const at = (d: number) => `${(100 * (Math.max(-extent, Math.min(extent, d)) + extent)) / (2 * extent)}%`;
  const ticks = Array.from({ length: 2 * extent + 1 }, (_, i) => i - extent);
  const favourA = rows.filter((r) => r.significant && r.meanDifference > 0).length;
  const favourB = rows.filter((r) => r.significant && r.meanDifference < 0).length;
  const k = rows.length;
  return (
    <div className={styles.forest} data-testid="forest">
      <p className={styles.compareSummary} data-testid="compare-summary">
        {favourA + favourB === 0 ? (
          <>No behaviour differs significantly.</>
        ) : (
          <>
            <strong>{favourA + favourB}</strong> of {k} behaviours differ significantly:{' '}
            <span className={styles.forestA}>
              {favourA} favour {cmp.a}
            </span>
            ,{' '}
            <span className={styles.forestB}>
              {favourB} favour {cmp.b}
            </span>
            .
          </>
        )}
      </p>
      <div className={`${styles.forestRow} ${styles.forestHead}`} aria-hidden>
        <span />
        <span className={`${styles.forestTrack} ${styles.forestSides}`}>
          <span className={styles.forestSideB}>← {cmp.b} better</span>
          <span className={styles.forestSideA}>{cmp.a} better →</span>
        </span>
        <span className={`${styles.forestValue} muted`}>A − B [CI]</span>
      </div>
      {rows.map((r) => {
        const cls = r.significant
          ? r.meanDifference > 0
            ? `${styles.forestRow} ${styles.sig} ${styles.sigA}`
            : `${styles.forestRow} ${styles.sig} ${styles.sigB}`
          : styles.forestRow;
        return (
          <div
            className={cls}
            key={r.behavior}
            data-testid="forest-row"
            data-behaviour={r.behavior}
            data-significant={r.significant}
          >
            <span
              className={styles.forestLabel}
              title={`${behaviourName(r.behavior)}: ${r.pairs} paired scenario${r.pairs === 1 ? '' : 's'}`}
            >
              {behaviourName(r.behavior)}
            </span>
            <span className={styles.forestTrack}>
              {ticks.map((t) => (
                <span key={t} className={t === 0 ? styles.forestZero : styles.forestGrid} style={{ left: at(t) }} />
              ))}
              {r.ci && (
                <span
                  className={styles.forestWhisker}
                  style={{ left: at(r.ci.low), width: `calc(${at(r.ci.high)} - ${at(r.ci.low)})` }}
                />
              )}
              <span className={styles.forestDot} style={{ left: at(r.meanDifference) }} />
            </span>
            <span className={styles.forestValue} data-testid="forest-value">
              <strong>{signed(r.meanDifference)}</strong>
              <span className="muted">
                {' '}
                {r.ci
                  ? `[${signed(r.ci.low)}, ${signed(r.ci.high)}]`
                  : r.pairs < cmp.minPairs
                    ? 'too few'
                    : 'no interval'}
              </span>
              <span className={styles.forestPairs}> n={r.pairs}</span>
            </span>
          </div>
        );
      })}
      <div className={`${styles.forestRow} ${styles.forestAxis}`} aria-hidden>
        <span />
        <span className={styles.forestTrack}>
          {ticks.map((t) => (
            <span key={t} className={runsStyles.forestTick} style={{ left: at(t) }}>
              {signed(t).replace('.00', '')}
            </span>
          ))}
        </span>
        <span />
      </div>
      <p className={`${runsStyles.forestAxisLabel} muted`}>
        Mean paired difference in score, {cmp.a} − {cmp.b} (points on the 1-5 scale)
      </p>
      <p className={`muted ${runsStyles.lbCaption}`} data-testid="compare-correction">
        Each behaviour compares the two models on the scenarios both ran (paired, repeats averaged). Intervals are
        bootstrap intervals at the Bonferroni-corrected level 1 − 0.05/{cmp.family.size} ={' '}
        {(100 * cmp.level).toFixed(2)}%; the family corrected over is {cmp.family.description}, so that together they
        hold at 95% (family-wise). Filled, coloured points: the interval excludes zero. n: the paired scenarios; below{' '}
        {cmp.minPairs} there is no interval (“too few”).
      </p>
    </div>
  );
}
