import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { navigate } from '../../app/navigation.ts';
import { useDocumentTitle } from '../../app/useDocumentTitle.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { fetchScenarioList } from '../../api/scenarios.api.ts';
import { useScenarioWindows } from './useScenarioWindows.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import { ImportDialog } from '../dialogs/ImportDialog.tsx';
import { FilterBar } from './FilterBar.tsx';
import { ScenarioList } from './ScenarioList.tsx';
import { TaxonomySidebar } from './TaxonomySidebar.tsx';
import { hasFilters, useBrowserFilters } from './browserFilters.ts';
import styles from './browser.module.css';

// The scenario last opened from the list, where it was and under which filters: coming back
// highlights it again instead of the top row (its window may not be fetched yet: the place says where).
let lastOpened: { id: string; index: number; filterKey: string } | null = null;

/** /studio: the corpus, filtered from the URL, with counts per category and behaviour. */
export function ScenarioBrowser() {
  useDocumentTitle('Scenarios');
  const [filters, setFilters] = useBrowserFilters();
  const taxonomy = useTaxonomy();
  const rows = useScenarioWindows(filters);
  const list = rows.head;
  // The sidebar counts ignore the sidebar's own choice (category and behaviour) but honour the
  // other filters; limit 1 because only the facets are needed.
  const { category: _c, behavior: _b, ...rest } = filters;
  const sidebarCounts = useQuery({
    queryKey: queryKeys.scenarioFacets(rest),
    queryFn: ({ signal }) => fetchScenarioList({ ...rest, limit: 1 }, signal),
    placeholderData: keepPreviousData,
  });

  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [importing, setImporting] = useState(false);
  const count = rows.count;
  const filterKey = JSON.stringify(filters);
  const shownFor = useRef<string | null>(null);
  useEffect(() => {
    if (!list.data || list.isPlaceholderData || shownFor.current === filterKey) return;
    shownFor.current = filterKey;
    const again =
      lastOpened?.filterKey === filterKey
        ? lastOpened.index
        : lastOpened
          ? list.data.items.findIndex((i) => i.id === lastOpened!.id)
          : -1;
    setActive(Math.max(Math.min(again, list.data.total - 1), 0));
  }, [filterKey, list.data, list.isPlaceholderData]);

  // `/` focuses the search box from anywhere on the page except a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const remember = (index: number) => {
    const item = rows.itemAt(index);
    lastOpened = item ? { id: item.id, index, filterKey } : null;
    return item;
  };
  const open = (index: number) => {
    const item = remember(index);
    if (!item) return; // a row whose window is still loading
    navigate(`/studio/scenarios/${item.id}`);
  };

  return (
    <div className={styles.browser}>
      <TaxonomySidebar
        taxonomy={taxonomy}
        facets={sidebarCounts.data?.facets}
        total={sidebarCounts.data?.total}
        filters={filters}
        onSelect={(patch) => setFilters(patch)}
      />
      <main className={styles.browserMain}>
        <div className={styles.browserActions}>
          <button type="button" className="btn" data-testid="open-import" onClick={() => setImporting(true)}>
            Import…
          </button>
        </div>
        {importing && <ImportDialog onClose={() => setImporting(false)} />}
        <FilterBar
          filters={filters}
          facets={list.data?.facets}
          total={list.data?.total}
          loading={list.isFetching}
          taxonomy={taxonomy}
          searchRef={searchRef}
          onChange={setFilters}
          onSearchArrowDown={() => {
            listRef.current?.focus();
            setActive((a) => Math.min(a, Math.max(count - 1, 0)));
          }}
          onSearchEnter={() => open(active)}
        />
        {rows.failed ? (
          <div className={styles.emptyState} role="alert">
            <p>Could not load scenarios: {rows.failed.message}</p>
            <button type="button" className="btn" onClick={rows.retry}>
              Try again
            </button>
          </div>
        ) : list.data && count === 0 ? (
          <div className={styles.emptyState} data-testid="empty-state">
            {hasFilters(filters) ? (
              <>
                <p>No scenarios match these filters.</p>
                <button
                  type="button"
                  className="btn"
                  data-testid="clear-filters-empty"
                  onClick={() => navigate('/studio')}
                >
                  Clear filters
                </button>
              </>
            ) : (
              <p>The corpus is empty. Create the first scenario with “New scenario”.</p>
            )}
          </div>
        ) : (
          <ScenarioList
            ref={listRef}
            count={count}
            itemAt={rows.itemAt}
            onVisibleRows={rows.onVisibleRows}
            active={active}
            onActiveChange={setActive}
            onOpen={open}
            onFollow={remember}
            behaviourName={taxonomy.behaviourName}
            loading={!list.data}
          />
        )}
      </main>
    </div>
  );
}
