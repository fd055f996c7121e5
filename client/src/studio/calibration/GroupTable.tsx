import { useState } from 'react';
import type { MetricsWithCi } from './calibration.api.ts';
import { formatCi, formatMetric, metricInfo, type MetricInfo } from './metrics.ts';
import styles from './calibration.module.css';

// The columns, by key: agreement first, then the errors, the pass/fail statistics and the ceiling.
const COLUMNS: MetricInfo[] = (
  [
    'pearson',
    'spearman',
    'qwk',
    'mae',
    'bias',
    'within1',
    'passAgreement',
    'passKappa',
    'passCriteriaF1',
    'failCriteriaF1',
    'humanAlphaOrdinal',
  ] as const
).map(metricInfo);

type SortKey = 'group' | 'n' | MetricInfo['key'];

interface GroupTableProps {
  title: string;
  groups: Record<string, MetricsWithCi>;
  nameOf(id: string): string;
  testId: string;
  /** Groups below this many transcripts get no interval ("too few"). */
  minN: number;
}

/** The metrics per category or behaviour, each with its interval; click a heading to sort by it. */
export function GroupTable({ title, groups, nameOf, testId, minN }: GroupTableProps) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'n', desc: true });
  const rows = Object.entries(groups);
  const value = (g: MetricsWithCi, key: SortKey): number | null =>
    key === 'n' ? g.metrics.n : key === 'group' ? null : g.metrics[key];
  rows.sort(([a, ga], [b, gb]) => {
    if (sort.key === 'group') return (sort.desc ? -1 : 1) * nameOf(a).localeCompare(nameOf(b));
    const va = value(ga, sort.key);
    const vb = value(gb, sort.key);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1; // unknowns last
    return (sort.desc ? vb - va : va - vb) || nameOf(a).localeCompare(nameOf(b));
  });

  const heading = (key: SortKey, label: string, help?: string, num = true) => {
    const active = sort.key === key;
    return (
      <th className={num ? 'num' : undefined} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="sort-button"
          title={help}
          data-testid={`sort-${key}`}
          onClick={() => setSort({ key, desc: active ? !sort.desc : key !== 'group' })}
        >
          {label}
          <span className="sort-mark" aria-hidden>
            {active ? (sort.desc ? '▼' : '▲') : ''}
          </span>
        </button>
      </th>
    );
  };

  return (
    <section className="panel" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing annotated yet.</p>
      ) : (
        <div className="table-scroll">
          <table className={`data-table ${styles.groupTable}`}>
            <thead>
              <tr>
                {heading('group', title.replace(/^By /, ''), undefined, false)}
                {heading('n', 'n', 'Annotated transcripts')}
                {COLUMNS.map((m) => heading(m.key, m.short, `${m.label}: ${m.help}`))}
              </tr>
            </thead>
            <tbody>
              {rows.map(([id, g]) => (
                <tr key={id} data-testid="group-row" data-id={id}>
                  <td className="strong">{nameOf(id) || <span className="muted">(none)</span>}</td>
                  <td className="num">{g.metrics.n}</td>
                  {COLUMNS.map((m) => (
                    <td key={m.key} className="num">
                      {formatMetric(g.metrics[m.key], m.format)}
                      {(g.ci[m.key] || (g.metrics.n < minN && g.metrics[m.key] !== null)) && (
                        <div className={styles.ciLine} data-testid="group-ci">
                          {formatCi(g.ci[m.key], m.format, g.metrics.n < minN)}
                        </div>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
