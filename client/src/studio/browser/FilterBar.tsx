import { useEffect, useState, type RefObject } from 'react';
import type { ScenarioListResponse } from '../../../../schema/api/scenarios.ts';
import type { useTaxonomy } from '../../api/useTaxonomy.ts';
import { DIFFICULTIES, PROBLEMS, STATUSES, hasFilters, type BrowserFilters } from './browserFilters.ts';
import styles from './browser.module.css';

interface FilterBarProps {
  filters: BrowserFilters;
  facets?: ScenarioListResponse['facets'];
  total?: number;
  loading: boolean;
  taxonomy: ReturnType<typeof useTaxonomy>;
  searchRef: RefObject<HTMLInputElement | null>;
  onChange(patch: Partial<BrowserFilters>, opts?: { replace?: boolean }): void;
  onSearchArrowDown(): void;
  onSearchEnter(): void;
}

const SEARCH_DEBOUNCE_MS = 250;
const PROBLEM_LABELS = { errors: 'Has errors', warnings: 'Has warnings' } as const;

/** Free-text search (debounced into the URL), the status/difficulty/problem selects, active filter chips. */
export function FilterBar({
  filters,
  facets,
  total,
  loading,
  taxonomy,
  searchRef,
  onChange,
  onSearchArrowDown,
  onSearchEnter,
}: FilterBarProps) {
  const [text, setText] = useState(filters.q ?? '');
  // The URL is the truth: follow it when it changes from elsewhere (back button, clear).
  useEffect(() => setText((t) => (t.trim() === (filters.q ?? '') ? t : (filters.q ?? ''))), [filters.q]);
  useEffect(() => {
    if (text.trim() === (filters.q ?? '')) return;
    const t = setTimeout(() => onChange({ q: text.trim() || undefined }, { replace: true }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, filters.q, onChange]);

  const count = (facet: keyof ScenarioListResponse['facets'], value: string) => facets?.[facet][value] ?? 0;

  return (
    <div className={styles.filterbar}>
      <div className={styles.filterbarRow}>
        <div className={styles.search}>
          <input
            ref={searchRef}
            type="search"
            className={styles.searchInput}
            placeholder="Search id, title, summary, turns…"
            aria-label="Search scenarios"
            data-testid="search-input"
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                onSearchArrowDown();
              } else if (e.key === 'Enter') {
                e.preventDefault();
                onSearchEnter();
              } else if (e.key === 'Escape' && text) {
                e.preventDefault();
                setText('');
              }
            }}
          />
          <kbd className={styles.searchHint} aria-hidden>
            /
          </kbd>
        </div>
        <label className="select-label">
          <span>Status</span>
          <select
            data-testid="filter-status"
            value={filters.status ?? ''}
            onChange={(e) => onChange({ status: (e.target.value || undefined) as BrowserFilters['status'] })}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s} ({count('status', s)})
              </option>
            ))}
          </select>
        </label>
        <label className="select-label">
          <span>Difficulty</span>
          <select
            data-testid="filter-difficulty"
            value={filters.difficulty ?? ''}
            onChange={(e) => onChange({ difficulty: (e.target.value || undefined) as BrowserFilters['difficulty'] })}
          >
            <option value="">any</option>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d}>
                {d} ({count('difficulty', d)})
              </option>
            ))}
          </select>
        </label>
        <label className="select-label">
          <span>Problems</span>
          <select
            data-testid="filter-problems"
            value={filters.problems ?? ''}
            onChange={(e) => onChange({ problems: (e.target.value || undefined) as BrowserFilters['problems'] })}
          >
            <option value="">any</option>
            {PROBLEMS.map((p) => (
              <option key={p} value={p}>
                {PROBLEM_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="check-field">
          <input
            type="checkbox"
            data-testid="filter-validated"
            checked={filters.validated === 'yes'}
            onChange={(e) => onChange({ validated: e.target.checked ? 'yes' : undefined })}
          />
          Validated only
        </label>
      </div>
      <div className={`${styles.filterbarRow} ${styles.filterbarSummary}`}>
        <span className={styles.resultCount} data-testid="result-count" aria-live="polite">
          {total === undefined ? 'Loading…' : `${total.toLocaleString('en')} scenario${total === 1 ? '' : 's'}`}
          {loading && total !== undefined && <span className="spinner" aria-label="updating" />}
        </span>
        {filters.category && (
          <Chip
            label={`Category: ${taxonomy.categoryName(filters.category)}`}
            onRemove={() => onChange({ category: undefined, behavior: undefined })}
          />
        )}
        {filters.behavior && (
          <Chip
            label={`Behaviour: ${taxonomy.behaviourName(filters.behavior)}`}
            onRemove={() => onChange({ behavior: undefined })}
          />
        )}
        {filters.status && (
          <Chip label={`Status: ${filters.status}`} onRemove={() => onChange({ status: undefined })} />
        )}
        {filters.difficulty && (
          <Chip label={`Difficulty: ${filters.difficulty}`} onRemove={() => onChange({ difficulty: undefined })} />
        )}
        {filters.problems && (
          <Chip label={PROBLEM_LABELS[filters.problems]} onRemove={() => onChange({ problems: undefined })} />
        )}
        {filters.validated && <Chip label="Validated" onRemove={() => onChange({ validated: undefined })} />}
        {filters.q && <Chip label={`Text: “${filters.q}”`} onRemove={() => onChange({ q: undefined })} />}
        {hasFilters(filters) && (
          <button
            type="button"
            className="link-button"
            data-testid="clear-filters"
            onClick={() =>
              onChange({
                q: undefined,
                category: undefined,
                behavior: undefined,
                status: undefined,
                difficulty: undefined,
                problems: undefined,
                validated: undefined,
              })
            }
          >
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}

function Chip({ label, onRemove }: { label: string; onRemove(): void }) {
  return (
    <span className={styles.chip} data-testid="filter-chip">
      {label}
      <button type="button" className={styles.chipRemove} aria-label={`Remove filter ${label}`} onClick={onRemove}>
        ×
      </button>
    </span>
  );
}
