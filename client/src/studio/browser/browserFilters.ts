import { useCallback, useMemo } from 'react';
import { useSearch } from 'wouter';
import { navigate } from '../../app/navigation.ts';

// The browser's filters live in the URL query string, so a filtered view can be shared and
// survives a reload. Unknown or malformed values are dropped rather than sent to the server.

export const STATUSES = ['draft', 'review', 'ready', 'retired'] as const;
export const DIFFICULTIES = ['low', 'medium', 'high'] as const;
export const PROBLEMS = ['errors', 'warnings'] as const;

export interface BrowserFilters {
  q?: string;
  category?: string;
  behavior?: string;
  status?: (typeof STATUSES)[number];
  difficulty?: (typeof DIFFICULTIES)[number];
  problems?: (typeof PROBLEMS)[number];
  /** Only scenarios validated by a realism study. */
  validated?: 'yes';
}

const ORDER: (keyof BrowserFilters)[] = ['category', 'behavior', 'status', 'difficulty', 'problems', 'validated', 'q'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
  values.includes(v as T) ? (v as T) : undefined;

export function parseFilters(search: string): BrowserFilters {
  const p = new URLSearchParams(search);
  const id = (k: string) => {
    const v = p.get(k);
    return v && KEBAB.test(v) && v.length <= 120 ? v : undefined;
  };
  const q = p.get('q')?.slice(0, 200).trim();
  return clean({
    q: q || undefined,
    category: id('category'),
    behavior: id('behavior'),
    status: oneOf(STATUSES, p.get('status')),
    difficulty: oneOf(DIFFICULTIES, p.get('difficulty')),
    problems: oneOf(PROBLEMS, p.get('problems')),
    validated: p.get('validated') === 'yes' ? 'yes' : undefined,
  });
}

export function filtersToSearch(filters: BrowserFilters): string {
  const p = new URLSearchParams();
  for (const k of ORDER) {
    const v = filters[k];
    if (v) p.set(k, v);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function hasFilters(filters: BrowserFilters): boolean {
  return ORDER.some((k) => filters[k]);
}

function clean(f: BrowserFilters): BrowserFilters {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as BrowserFilters;
}

/** The filters in the URL, and a setter that merges a change into them. */
export function useBrowserFilters(): [
  BrowserFilters,
  (patch: Partial<BrowserFilters>, opts?: { replace?: boolean }) => void,
] {
  const search = useSearch();
  const filters = useMemo(() => parseFilters(search), [search]);
  const update = useCallback((patch: Partial<BrowserFilters>, opts?: { replace?: boolean }) => {
    const next = clean({ ...parseFilters(location.search), ...patch });
    navigate(`/studio${filtersToSearch(next)}`, opts);
  }, []);
  return [filters, update];
}
