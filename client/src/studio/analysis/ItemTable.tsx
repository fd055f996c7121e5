import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { ItemAnalysisRow } from './analysis.api.ts';
import { FLAG_LABELS, fixed, percent } from './itemFlags.ts';
import results from '../../components/ResultPanels.module.css';
import styles from './analysis.module.css';

type Column = {
  key: string;
  label: string;
  title: string;
  value: (r: ItemAnalysisRow) => number | string | null;
  numeric: boolean;
};

const COLUMNS: Column[] = [
  { key: 'scenario', label: 'Scenario', title: 'id and title', value: (r) => r.scenarioId, numeric: false },
  {
    key: 'behavior',
    label: 'Behaviour',
    title: 'category / behaviour',
    value: (r) => `${r.category}/${r.behavior}`,
    numeric: false,
  },
  { key: 'mean', label: 'Mean', title: 'mean score (1-5)', value: (r) => r.mean, numeric: true },
  { key: 'passRate', label: 'Pass', title: 'share of transcripts that pass', value: (r) => r.passRate, numeric: true },
  {
    key: 'itemRest',
    label: 'Item-rest',
    title: 'item-rest correlation over models',
    value: (r) => r.itemRest,
    numeric: true,
  },
  { key: 'a', label: '2PL a', title: 'discrimination', value: (r) => r.irt?.discrimination ?? null, numeric: true },
  { key: 'b', label: '2PL b', title: 'difficulty', value: (r) => r.irt?.difficulty ?? null, numeric: true },
  {
    key: 'repeatSd',
    label: 'Repeat SD',
    title: 'pooled within-model SD across repeats',
    value: (r) => r.repeatSd,
    numeric: true,
  },
  {
    key: 'reliability',
    label: 'ICC',
    title: 'reliability across repeats, ICC(1)',
    value: (r) => r.reliability,
    numeric: true,
  },
  {
    key: 'realism',
    label: 'Realism',
    title: 'mean human realism rating (1-5)',
    value: (r) => r.realism?.mean ?? null,
    numeric: true,
  },
  {
    key: 'agreement',
    label: 'Judge-human',
    title: 'mean absolute error, judge vs humans',
    value: (r) => r.agreement?.mae ?? null,
    numeric: true,
  },
  {
    key: 'transcripts',
    label: 'n',
    title: 'judged transcripts (models x repeats)',
    value: (r) => r.transcripts,
    numeric: true,
  },
  { key: 'flags', label: 'Flags', title: 'flags raised', value: (r) => r.flags.length, numeric: true },
];

/** Every scenario's figures; a header button sorts by its column (again: the other way). */
export function ItemTable({ items }: { items: ItemAnalysisRow[] }) {
  const [sort, setSort] = useState<{ key: string; descending: boolean }>({ key: 'itemRest', descending: false });
  const sorted = useMemo(() => {
    const column = COLUMNS.find((c) => c.key === sort.key)!;
    // Undefined values go last whichever way the column is sorted.
    return [...items].sort((x, y) => {
      const a = column.value(x);
      const b = column.value(y);
      if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
      const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
      return (sort.descending ? -order : order) || x.scenarioId.localeCompare(y.scenarioId);
    });
  }, [items, sort]);
  return (
    <table className={`${results.table} ${styles.itemsTable}`} data-testid="items-table">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              className={c.numeric ? 'num' : undefined}
              aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            >
              <button
                type="button"
                className={styles.itemsSort}
                title={`${c.title}: sort`}
                data-testid={`sort-${c.key}`}
                onClick={() =>
                  setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.numeric }))
                }
              >
                {c.label}
                <span aria-hidden>{sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.scenarioId} data-testid="item-row" data-id={r.scenarioId}>
            <td>
              <Link href={`/studio/scenarios/${encodeURIComponent(r.scenarioId)}`} data-testid="item-link">
                {r.scenarioId}
              </Link>
              {r.title && <div className={`muted ${styles.itemsTitle}`}>{r.title}</div>}
            </td>
            <td className="muted">
              {r.category}/{r.behavior}
            </td>
            <td className="num">{fixed(r.mean)}</td>
            <td className="num">{percent(r.passRate)}</td>
            <td className="num">{fixed(r.itemRest)}</td>
            <td className="num">{irtCell(r.irt?.discrimination, r.irt?.bounded)}</td>
            <td className="num">{irtCell(r.irt?.difficulty, r.irt?.bounded)}</td>
            <td className="num">{fixed(r.repeatSd)}</td>
            <td className="num">{fixed(r.reliability)}</td>
            <td className="num">{r.realism ? `${fixed(r.realism.mean, 1)} (${r.realism.ratings})` : '–'}</td>
            <td className="num">{r.agreement ? `${fixed(r.agreement.mae)} (${r.agreement.transcripts})` : '–'}</td>
            <td className="num">{r.transcripts}</td>
            <td className={styles.itemsFlags}>
              {r.flags.map((f) => (
                <span key={f} className={`badge ${styles.itemFlag} item-flag-${f}`} data-testid="item-flag">
                  {FLAG_LABELS[f]}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A 2PL estimate; one on a bound in brackets (it only says "everybody" or "nobody"). */
function irtCell(x: number | undefined, bounded: boolean | undefined) {
  if (x === undefined) return '–';
  return bounded ? <span title="on a bound: not informative">({fixed(x)})</span> : fixed(x);
}
