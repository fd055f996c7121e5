import { useState } from 'react';
import type { ScenarioListResponse } from '../../../../schema/api/scenarios.ts';
import type { useTaxonomy } from '../../api/useTaxonomy.ts';
import type { BrowserFilters } from './browserFilters.ts';
import styles from './browser.module.css';

interface TaxonomySidebarProps {
  taxonomy: ReturnType<typeof useTaxonomy>;
  facets?: ScenarioListResponse['facets'];
  total?: number;
  filters: BrowserFilters;
  onSelect(patch: Partial<BrowserFilters>): void;
}

/** Categories and their behaviours with scenario counts; picking one filters the list. */
export function TaxonomySidebar({ taxonomy, facets, total, filters, onSelect }: TaxonomySidebarProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const categories = taxonomy.data?.categories ?? [];
  const known = new Set(categories.map((c) => c.id));
  const unknown = Object.keys(facets?.category ?? {}).filter((id) => !known.has(id));
  const toggle = (id: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <nav className={styles.sidebar} aria-label="Categories and behaviours" data-testid="sidebar">
      <button
        type="button"
        className={!filters.category && !filters.behavior ? `${styles.sideItem} ${styles.active}` : styles.sideItem}
        onClick={() => onSelect({ category: undefined, behavior: undefined })}
      >
        <span className={styles.sideLabel}>All scenarios</span>
        <span className="count">{total ?? ''}</span>
      </button>
      {taxonomy.isError && <p className={styles.sideNote}>Taxonomy unavailable: {taxonomy.error.message}</p>}
      {categories.map((c) => {
        const open =
          expanded.has(c.id) || filters.category === c.id || c.behaviours.some((b) => b.id === filters.behavior);
        const categoryActive = filters.category === c.id && !filters.behavior;
        return (
          <div key={c.id} className={styles.sideGroup}>
            <div className={styles.sideRow}>
              <button
                type="button"
                className={styles.sideToggle}
                aria-expanded={open}
                aria-label={`${open ? 'Collapse' : 'Expand'} ${c.name}`}
                onClick={() => toggle(c.id)}
              >
                {open ? '▾' : '▸'}
              </button>
              <button
                type="button"
                className={
                  categoryActive
                    ? `${styles.sideItem} ${styles.sideCategory} ${styles.active}`
                    : `${styles.sideItem} ${styles.sideCategory}`
                }
                data-testid={`category-${c.id}`}
                title={c.description}
                onClick={() =>
                  onSelect(
                    categoryActive
                      ? { category: undefined, behavior: undefined }
                      : { category: c.id, behavior: undefined },
                  )
                }
              >
                <span className={styles.sideLabel}>{c.name}</span>
                <span className="count">{facets?.category[c.id] ?? 0}</span>
              </button>
            </div>
            {open && (
              <ul className={styles.sideBehaviours}>
                {c.behaviours.map((b) => {
                  const n = facets?.behavior[b.id] ?? 0;
                  const active = filters.behavior === b.id;
                  return (
                    <li key={b.id}>
                      <button
                        type="button"
                        className={`${styles.sideItem} ${styles.sideBehaviour}${active ? ` ${styles.active}` : ''}${n === 0 ? ` ${styles.empty}` : ''}`}
                        data-testid={`behaviour-${b.id}`}
                        title={b.description}
                        onClick={() => onSelect(active ? { behavior: undefined } : { category: c.id, behavior: b.id })}
                      >
                        <span className={styles.sideLabel}>
                          {b.name}
                          {b.retired && <span className={styles.retiredTag}>retired</span>}
                        </span>
                        <span className="count">{n}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        );
      })}
      {unknown.length > 0 && (
        <div className={styles.sideGroup}>
          <div className={styles.sideHeading}>Not in the taxonomy</div>
          {unknown.map((id) => (
            <button
              key={id}
              type="button"
              className={filters.category === id ? `${styles.sideItem} ${styles.active}` : styles.sideItem}
              onClick={() => onSelect({ category: id, behavior: undefined })}
            >
              <span className={`${styles.sideLabel} mono`}>{id}</span>
              <span className="count">{facets?.category[id] ?? 0}</span>
            </button>
          ))}
        </div>
      )}
    </nav>
  );
}
