import type { BehaviourGroup } from './ScoreHeatmap.tsx';
import type { TaxonomyNames } from './taxonomyNames.ts';

/**
 * The run's behaviours grouped by category, in the taxonomy's order; behaviours the taxonomy no
 * longer has (the run is older than a taxonomy edit) come last, by category and id.
 */
export function groupBehaviours(
  board: { behaviours: readonly { behavior: string; category: string }[] } | undefined,
  taxonomy: TaxonomyNames,
): BehaviourGroup[] {
  if (!board) return [];
  const present = new Map(board.behaviours.map((b) => [b.behavior, b.category]));
  const groups: BehaviourGroup[] = [];
  const placed = new Set<string>();
  for (const c of taxonomy.data?.categories ?? []) {
    const behaviours = c.behaviours.filter((b) => present.has(b.id)).map((b) => ({ id: b.id, name: b.name }));
    behaviours.forEach((b) => placed.add(b.id));
    if (behaviours.length) groups.push({ category: c.id, name: c.name, behaviours });
  }
  const rest = new Map<string, { id: string; name: string }[]>();
  for (const [id, category] of present) {
    if (placed.has(id)) continue;
    rest.set(category, [...(rest.get(category) ?? []), { id, name: taxonomy.behaviourName(id) }]);
  }
  for (const [category, behaviours] of [...rest].sort(([a], [b]) => a.localeCompare(b))) {
    groups.push({
      category,
      name: taxonomy.categoryName(category),
      behaviours: behaviours.sort((a, b) => a.id.localeCompare(b.id)),
    });
  }
  return groups;
}
