import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { analysisKeys } from '../../api/queryKeys.ts';
import { fetchItemAnalysis } from './analysis.api.ts';
import { FLAG_LABELS, fixed, percent } from './itemFlags.ts';
import styles from './analysis.module.css';

/** The scenario's item-analysis figures under the default judge, folded into one line until opened. */
export function ScenarioItemFigures({ id }: { id: string }) {
  const analysis = useQuery({ queryKey: analysisKeys.items(null), queryFn: () => fetchItemAnalysis(null) });
  const row = analysis.data?.items.find((i) => i.scenarioId === id);
  if (!analysis.data) return null;
  if (!row)
    return (
      <div className={styles.itemFiguresNone} data-testid="item-figures-none">
        Item analysis: not run under the default judge yet.
      </div>
    );
  return (
    <details className={styles.itemFiguresBox} data-testid="item-figures">
      <summary>
        Item analysis: mean {fixed(row.mean)}, pass {percent(row.passRate)}, item-rest {fixed(row.itemRest)}
        {row.flags.length > 0 && <> · {row.flags.map((f) => FLAG_LABELS[f]).join(', ')}</>}
      </summary>
      <dl className={styles.itemFigures}>
        <Figure label="Models / transcripts" value={`${row.models} / ${row.transcripts}`} />
        <Figure label="Models passing (mean ≥ 4)" value={String(row.modelsPassing)} />
        <Figure
          label="2PL discrimination a"
          value={row.irt ? `${fixed(row.irt.discrimination)}${row.irt.bounded ? ' (on a bound)' : ''}` : '–'}
        />
        <Figure label="2PL difficulty b" value={row.irt ? fixed(row.irt.difficulty) : '–'} />
        <Figure label="Repeat SD" value={fixed(row.repeatSd)} />
        <Figure label="Reliability ICC(1)" value={fixed(row.reliability)} />
        <Figure
          label="Realism"
          value={row.realism ? `${fixed(row.realism.mean, 1)} (${row.realism.ratings} ratings)` : '–'}
        />
        <Figure
          label="Judge-human MAE"
          value={row.agreement ? `${fixed(row.agreement.mae)} (${row.agreement.transcripts} transcripts)` : '–'}
        />
      </dl>
      <Link href="/studio/items">All scenarios’ figures and how they are made</Link>
    </details>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="muted">{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
