import { useState } from 'react';
import type { ScenarioListResponse } from '../../../../schema/api/scenarios.ts';
import type { useTaxonomy } from '../../api/useTaxonomy.ts';
import type { BrowserFilters } from './browserFilters.ts';

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
    <nav className="sidebar" aria-label="Categories and behaviours" data-testid="sidebar">
      <button
        type="button"
        className={!filters.category && !filters.behavior ? 'side-item active' : 'side-item'}
        onClick={() => onSelect({ category: undefined, behavior: undefined })}
      >
        <span className="side-label">All scenarios</span>
        <span className="count">{total ?? ''}</span>
      </button>
      {taxonomy.isError && <p className="side-note">Taxonomy unavailable: {taxonomy.error.message}</p>}
      {categories.map((c) => {
        const open =
          expanded.has(c.id) || filters.category === c.id || c.behaviours.some((b) => b.id === filters.behavior);
        const categoryActive = filters.category === c.id && !filters.behavior;
        return (
          <div key={c.id} className="side-group">
            <div className="side-row">
              <button
                type="button"
                className="side-toggle"
                aria-expanded={open}
                aria-label={`${open ? 'Collapse' : 'Expand'} ${c.name}`}
                onClick={() => toggle(c.id)}
              >
                {open ? '▾' : '▸'}
              </button>
              <button
                type="button"
                className={categoryActive ? 'side-item side-category active' : 'side-item side-category'}
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
                <span className="side-label">{c.name}</span>
                <span className="count">{facets?.category[c.id] ?? 0}</span>
              </button>
            </div>
            {open && (
              <ul className="side-behaviours">
                {c.behaviours.map((b) => {
                  const n = facets?.behavior[b.id] ?? 0;
                  const active = filters.behavior === b.id;
                  return (
                    <li key={b.id}>
                      <button
                        type="button"
                        className={`side-item side-behaviour${active ? ' active' : ''}${n === 0 ? ' empty' : ''}`}
                        data-testid={`behaviour-${b.id}`}
                        title={b.description}
                        onClick={() => onSelect(active ? { behavior: undefined } : { category: c.id, behavior: b.id })}
                      >
                        <span className="side-label">
                          {b.name}
                          {b.retired && <span className="retired-tag">retired</span>}
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
        <div className="side-group">
          <div className="side-heading">Not in the taxonomy</div>
          {unknown.map((id) => (
            <button
              key={id}
              type="button"
              className={filters.category === id ? 'side-item active' : 'side-item'}
              onClick={() => onSelect({ category: id, behavior: undefined })}
            >
              <span className="side-label mono">{id}</span>
              <span className="count">{facets?.category[id] ?? 0}</span>
            </button>
          ))}
        </div>
      )}
    </nav>
  );
}
