import type { BehaviourHealth, ItemAnalysisRow } from '../../schema/api/analysis.ts';

// Benchmark health per behaviour: coverage (scenarios, validated ones), the ceiling and floor
// map, the discrimination map, and where to write next. Pure: the caller reads the corpus and the
// item analysis.

/** Fewest scenarios a behaviour should have before its mean says much (the published benchmark averages 24). */
export const MIN_SCENARIOS_PER_BEHAVIOUR = 3;

export interface HealthInput {
  behaviours: { id: string; name: string; category: string }[];
  /** Scenarios in the corpus (retired ones left out by the caller). */
  scenarios: { id: string; behavior: string }[];
  validated: ReadonlySet<string>;
  items: readonly ItemAnalysisRow[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/** Each behaviour's health, and the reason to write for it next (null: nothing urgent); most urgent first. */
export function benchmarkHealth(input: HealthInput): BehaviourHealth[] {
  const analysedBy = new Map<string, ItemAnalysisRow[]>();
  for (const i of input.items) analysedBy.set(i.behavior, [...(analysedBy.get(i.behavior) ?? []), i]);
  const rows = input.behaviours.map((b): BehaviourHealth => {
    const scenarios = input.scenarios.filter((s) => s.behavior === b.id);
    const analysed = analysedBy.get(b.id) ?? [];
    const count = (flag: ItemAnalysisRow['flags'][number]) => analysed.filter((i) => i.flags.includes(flag)).length;
    const ceiling = count('ceiling');
    const floor = count('floor');
    const separating = analysed.filter((i) => !i.flags.includes('no-separation') && i.itemRest !== null).length;
    const row = {
      behavior: b.id,
      name: b.name,
      category: b.category,
      scenarios: scenarios.length,
      validated: scenarios.filter((s) => input.validated.has(s.id)).length,
      analysed: analysed.length,
      ceiling,
      floor,
      separating,
      meanScore: mean(analysed.map((i) => i.mean)),
      meanItemRest: mean(analysed.map((i) => i.itemRest).filter((r): r is number => r !== null)),
    };
    return { ...row, writeNext: writeNextReason(row) };
  });
  const urgency = (r: BehaviourHealth) => (r.writeNext ? r.writeNext.priority : 99);
  return rows.sort(
    (a, b) => urgency(a) - urgency(b) || a.scenarios - b.scenarios || a.behavior.localeCompare(b.behavior),
  );
}

function writeNextReason(r: Omit<BehaviourHealth, 'writeNext'>): BehaviourHealth['writeNext'] {
  if (r.scenarios === 0) return { priority: 1, reason: 'no scenarios' };
  if (r.analysed > 0 && r.ceiling === r.analysed)
    return { priority: 2, reason: 'every run scenario is at the ceiling: write harder ones' };
  if (r.scenarios < MIN_SCENARIOS_PER_BEHAVIOUR)
    return { priority: 3, reason: `fewer than ${MIN_SCENARIOS_PER_BEHAVIOUR} scenarios` };
  if (r.validated === 0) return { priority: 4, reason: 'no validated scenario: run a realism study' };
  if (r.analysed > 0 && r.separating === 0)
    return { priority: 5, reason: 'no run scenario separates models: write ones where models differ' };
  if (r.analysed > 0 && r.floor === r.analysed)
    return { priority: 6, reason: 'every run scenario is at the floor: a weakness that persists, worth more variants' };
  return null;
}
