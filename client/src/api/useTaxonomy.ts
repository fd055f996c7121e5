import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from './queryKeys.ts';
import { fetchTaxonomy, type TaxonomyView } from './taxonomy.api.ts';

export type TaxonomyCategory = TaxonomyView['categories'][number];
export type TaxonomyBehaviour = TaxonomyCategory['behaviours'][number] & { category: string };

/** The taxonomy, with lookups of names by id. */
export function useTaxonomy() {
  const query = useQuery({ queryKey: queryKeys.taxonomy, queryFn: fetchTaxonomy, staleTime: 60_000 });
  const lookup = useMemo(() => {
    const categories = new Map<string, TaxonomyCategory>();
    const behaviours = new Map<string, TaxonomyBehaviour>();
    for (const c of query.data?.categories ?? []) {
      categories.set(c.id, c);
      for (const b of c.behaviours) behaviours.set(b.id, { ...b, category: c.id });
    }
    return {
      categories,
      behaviours,
      categoryName: (id: string) => categories.get(id)?.name ?? id,
      behaviourName: (id: string) => behaviours.get(id)?.name ?? id,
    };
  }, [query.data]);
  return { ...query, ...lookup };
}
