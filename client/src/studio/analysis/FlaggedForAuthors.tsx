import { Link } from 'wouter';
import type { ItemAnalysisRow } from './analysis.api.ts';
import { FLAG_LABELS, FLAG_ORDER } from './itemFlags.ts';
import styles from './analysis.module.css';

/** The flagged scenarios, by flag: what an author should look at next. */
export function FlaggedForAuthors({ items }: { items: ItemAnalysisRow[] }) {
  const groups = FLAG_ORDER.map((flag) => ({ flag, items: items.filter((i) => i.flags.includes(flag)) })).filter(
    (g) => g.items.length > 0,
  );
  if (!groups.length)
    return (
      <p className="muted" data-testid="items-flagged-none">
        No scenario is flagged.
      </p>
    );
  return (
    <section className={styles.itemsFlagged} data-testid="items-flagged" aria-label="Flagged for authors">
      <h2>Flagged for authors</h2>
      <div className={styles.itemsFlaggedGroups}>
        {groups.map((g) => (
          <div key={g.flag} className={styles.itemsFlaggedGroup} data-testid={`flagged-${g.flag}`}>
            <h3>
              {FLAG_LABELS[g.flag]} <span className="muted">({g.items.length})</span>
            </h3>
            <ul>
              {g.items.map((i) => (
                <li key={i.scenarioId}>
                  <Link href={`/studio/scenarios/${encodeURIComponent(i.scenarioId)}`} className="mono">
                    {i.scenarioId}
                  </Link>
                  {i.title && <span className="muted"> {i.title}</span>}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
