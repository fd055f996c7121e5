import type { Leaderboard } from './runs.api.ts';
import results from '../../components/ResultPanels.module.css';

type Effect = NonNullable<Leaderboard['variables']>[number];

const fmt = (n: number | null | undefined, signed = false) =>
  n === null || n === undefined ? '–' : `${signed && n > 0 ? '+' : ''}${n.toFixed(2)}`.replace('-', '−');

/**
 * Scores by scenario variable: for each variable, a row per model (and all models together) with
 * the mean at each value and each value's paired difference from the first value, with its 95%
 * bootstrap interval ("too few" below 5 matched cells). Shown only when the run had variants.
 */
export function VariableEffectsPanel({ effects, csvUrl }: { effects: Effect[]; csvUrl: string }) {
  if (effects.length === 0) return null;
  const variables = [...new Set(effects.map((e) => e.variable))];
  return (
    <section className={results.panel} aria-labelledby="variables-title" data-testid="variable-effects">
      <h2 id="variables-title">By variable</h2>
      <p className="muted">
        Mean score at each value of a scenario variable, and the difference from the first value within the same
        scenario, model and other values (95% bootstrap interval over those cells).{' '}
        <a href={csvUrl} download data-testid="export-variables-csv">
          CSV
        </a>
      </p>
      {variables.map((variable) => {
        const rows = effects.filter((e) => e.variable === variable);
        const values = rows[0]!.values.map((v) => v.value);
        return (
          <table key={variable} className={results.table} data-testid={`variable-${variable}`}>
            <caption>{variable}</caption>
            <thead>
              <tr>
                <th scope="col">model</th>
                {values.map((v) => (
                  <th key={v} scope="col">
                    {v}
                  </th>
                ))}
                {values.slice(1).map((v) => (
                  <th key={`d-${v}`} scope="col">
                    {v} − {values[0]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.model ?? '(all)'} data-testid="variable-row">
                  <th scope="row">{row.model ?? 'all models'}</th>
                  {values.map((v) => {
                    const m = row.values.find((x) => x.value === v);
                    return <td key={v}>{m ? `${fmt(m.mean)} (n ${m.n})` : '–'}</td>;
                  })}
                  {values.slice(1).map((v) => {
                    const d = row.differences.find((x) => x.value === v);
                    return (
                      <td key={`d-${v}`}>
                        {fmt(d?.difference, true)}{' '}
                        <span className="muted">
                          {d?.ci ? `[${fmt(d.ci.low)}, ${fmt(d.ci.high)}]` : d && d.cells > 0 ? 'too few' : ''}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}
