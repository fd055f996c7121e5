import type { RunSettings } from '../../../../schema/api/runs.ts';
import type { TaxonomyNames } from './taxonomyNames.ts';

/** Which scenarios a run covers, in words for its header: "validated scenarios in Honesty, “refund”". */
export function runScopeText(filter: RunSettings['filter'], taxonomy: TaxonomyNames): string {
  const scope =
    filter.scope === 'validated'
      ? 'validated scenarios'
      : filter.scope === 'ready'
        ? 'ready scenarios'
        : 'all scenarios';
  const parts = [
    filter.category && taxonomy.categoryName(filter.category),
    filter.behavior && taxonomy.behaviourName(filter.behavior),
    filter.difficulty,
    filter.q && `“${filter.q}”`,
  ].filter(Boolean);
  return parts.length ? `${scope} in ${parts.join(', ')}` : scope;
}
