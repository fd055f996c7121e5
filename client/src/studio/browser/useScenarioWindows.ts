import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ScenarioSummary } from '../../../../schema/api/scenarios.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { fetchScenarioList } from '../../api/scenarios.api.ts';
import type { BrowserFilters } from './browserFilters.ts';

/** Rows fetched per request: a window of the list, never the whole list (issue 20 point 7). */
export const LIST_WINDOW = 100;

const windowKey = queryKeys.scenarioListWindow;

/**
 * The scenario list as windows of rows fetched on demand. The first window is always fetched (it
 * carries the total and the facet counts, and is kept while a new filter loads); the others are
 * fetched as the rows they hold come into view. `count` is the whole list's length, so a virtual
 * list sized by it (End, PageDown, the scrollbar) reaches every row; rows of a window not yet
 * fetched read as undefined and show as placeholders.
 */
export function useScenarioWindows(filters: BrowserFilters) {
  const [range, setRange] = useState({ first: 0, last: 0 });
  const head = useQuery({
    queryKey: windowKey(filters, 0),
    queryFn: ({ signal }) => fetchScenarioList({ ...filters, limit: LIST_WINDOW, offset: 0 }, signal),
    placeholderData: keepPreviousData,
  });
  const count = head.data?.total ?? 0;
  // While a new filter's first window loads, the old total would ask for windows the new list may not have.
  const lastWindow = head.isPlaceholderData ? 0 : Math.floor(Math.max(count - 1, 0) / LIST_WINDOW);
  const wanted: number[] = [];
  for (let n = Math.max(1, range.first); n <= Math.min(range.last, lastWindow); n++) wanted.push(n);
  const windows = useQueries({
    queries: wanted.map((n) => ({
      queryKey: windowKey(filters, n),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        fetchScenarioList({ ...filters, limit: LIST_WINDOW, offset: n * LIST_WINDOW }, signal),
    })),
  });

  const loaded = new Map<number, ScenarioSummary[]>();
  if (head.data) loaded.set(0, head.data.items);
  wanted.forEach((n, i) => {
    const items = windows[i]?.data?.items;
    if (items) loaded.set(n, items);
  });
  const itemAt = (index: number): ScenarioSummary | undefined =>
    loaded.get(Math.floor(index / LIST_WINDOW))?.[index % LIST_WINDOW];

  /** The rows in view (plus overscan) changed: fetch the windows that hold them. */
  const onVisibleRows = useCallback((firstRow: number, lastRow: number) => {
    const first = Math.floor(firstRow / LIST_WINDOW);
    const last = Math.floor(lastRow / LIST_WINDOW);
    setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
  }, []);

  return {
    /** The first window's response: total, facets, and whether it is the previous filter's. */
    head,
    count,
    itemAt,
    onVisibleRows,
    failed: head.isError ? head.error : (windows.find((w) => w.isError)?.error ?? null),
    /** Fetches the first window and every failed one again. */
    retry() {
      void head.refetch();
      for (const w of windows) if (w.isError) void w.refetch();
    },
  };
}
