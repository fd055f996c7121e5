// Classical item analysis of a benchmark: each scenario is an item, each model a respondent, each
// repeat a replication. Difficulty, discrimination (item-rest correlation over models), repeat
// reliability (ICC(1) over models), and the flags an author acts on.

import { pearson } from './correlation.ts';

/** One judged transcript: a model's score on an item in one repeat. */
export interface ItemObservation {
  model: string;
  item: string;
  score: number;
}

/** The rules behind the flags, stated on the page and in the README. */
export const ITEM_FLAG_RULES = {
  /** A transcript passes at this score (the benchmark's pass). "ceiling": every transcript of the item passes; "floor": none does. */
  passScore: 4,
  /** "does not separate models": item-rest correlation below this (Ebel's rule of thumb for poor items), or no spread at all. */
  minItemRest: 0.2,
  /** Fewest models for an item-rest correlation to be read (and the separation flag raised). */
  minModels: 3,
  /** "noisy across repeats": pooled within-model standard deviation over repeats at least this many points. */
  maxRepeatSd: 1,
} as const;

export type ItemFlag = 'ceiling' | 'floor' | 'no-separation' | 'noisy';

export interface ItemStatistics {
  item: string;
  models: number;
  observations: number;
  /** Mean of every observation. */
  mean: number;
  /** Share of observations scoring a pass. */
  passRate: number;
  /** Models whose mean score over repeats is a pass. */
  modelsPassing: number;
  /** Pearson r over models between the item's mean score and the mean of the model's other items; null when undefined. */
  itemRest: number | null;
  /** Pooled within-model standard deviation across repeats; null without repeats. */
  repeatSd: number | null;
  /** ICC(1) (Shrout & Fleiss 1979): share of score variance that lies between models rather than between repeats; null when undefined. */
  reliability: number | null;
  flags: ItemFlag[];
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Scores grouped item -> model -> repeats. */
export function groupScores(observations: readonly ItemObservation[]): Map<string, Map<string, number[]>> {
  const byItem = new Map<string, Map<string, number[]>>();
  for (const o of observations) {
    let models = byItem.get(o.item);
    if (!models) byItem.set(o.item, (models = new Map()));
    const scores = models.get(o.model);
    if (scores) scores.push(o.score);
    else models.set(o.model, [o.score]);
  }
  return byItem;
}

/**
 * Item-rest correlation of every item: over the models that ran it, the model's mean score on the
 * item against the mean of its mean scores on every other item it ran. (Corrected item-total
 * correlation; with means rather than sums so a model missing an item is not penalised.)
 */
export function itemRestCorrelations(byItem: Map<string, Map<string, number[]>>): Map<string, number | null> {
  const modelTotals = new Map<string, { sum: number; n: number }>();
  const itemMeans = new Map<string, Map<string, number>>();
  for (const [item, models] of byItem) {
    const means = new Map<string, number>();
    for (const [model, scores] of models) {
      const m = mean(scores);
      means.set(model, m);
      const t = modelTotals.get(model) ?? { sum: 0, n: 0 };
      t.sum += m;
      t.n += 1;
      modelTotals.set(model, t);
    }
    itemMeans.set(item, means);
  }
  const out = new Map<string, number | null>();
  for (const [item, means] of itemMeans) {
    const x: number[] = [];
    const y: number[] = [];
    for (const [model, m] of means) {
      const t = modelTotals.get(model)!;
      if (t.n < 2) continue;
      x.push(m);
      y.push((t.sum - m) / (t.n - 1));
    }
    out.set(item, x.length >= 3 ? pearson(x, y) : null);
  }
  return out;
}

/**
 * One-way random-effects ICC(1) of groups with possibly unequal sizes (Shrout & Fleiss 1979, case 1;
 * unequal sizes by the usual n0 = (N - sum n_i^2 / N) / (k - 1)). Groups are models, members repeats.
 * Null with fewer than two groups, no replication, or no variance at all.
 */
export function iccOneWay(groups: readonly (readonly number[])[]): number | null {
  const gs = groups.filter((g) => g.length > 0);
  const k = gs.length;
  const n = gs.reduce((s, g) => s + g.length, 0);
  if (k < 2 || n <= k) return null;
  const grand = gs.reduce((s, g) => s + g.reduce((t, x) => t + x, 0), 0) / n;
  let ssb = 0;
  let ssw = 0;
  for (const g of gs) {
    const m = mean(g);
    ssb += g.length * (m - grand) ** 2;
    for (const x of g) ssw += (x - m) ** 2;
  }
  const msb = ssb / (k - 1);
  const msw = ssw / (n - k);
  const n0 = (n - gs.reduce((s, g) => s + g.length ** 2, 0) / n) / (k - 1);
  const denominator = msb + (n0 - 1) * msw;
  return denominator > 0 ? (msb - msw) / denominator : null;
}

/** Pooled within-group standard deviation (sqrt of the within mean square); null without replication. */
export function pooledWithinSd(groups: readonly (readonly number[])[]): number | null {
  let ss = 0;
  let df = 0;
  for (const g of groups) {
    if (g.length < 2) continue;
    const m = mean(g);
    for (const x of g) ss += (x - m) ** 2;
    df += g.length - 1;
  }
  return df > 0 ? Math.sqrt(ss / df) : null;
}

/** Classical statistics and flags of every item. */
export function analyseItems(observations: readonly ItemObservation[]): ItemStatistics[] {
  return analyseGroupedItems(groupScores(observations));
}

/** The same, from scores already grouped item -> model -> repeats (see groupScores). */
export function analyseGroupedItems(byItem: Map<string, Map<string, number[]>>): ItemStatistics[] {
  const itemRest = itemRestCorrelations(byItem);
  const rules = ITEM_FLAG_RULES;
  const out: ItemStatistics[] = [];
  for (const [item, models] of byItem) {
    const groups = [...models.values()];
    const all = groups.flat();
    const modelMeans = groups.map(mean);
    const modelsPassing = modelMeans.filter((m) => m >= rules.passScore).length;
    const r = itemRest.get(item) ?? null;
    const repeatSd = pooledWithinSd(groups);
    const flags: ItemFlag[] = [];
    // Ceiling: no model fails this, in any repeat; floor: no model passes it, in any repeat.
    const passes = all.filter((x) => x >= rules.passScore).length;
    if (passes === all.length) flags.push('ceiling');
    if (passes === 0) flags.push('floor');
    const noSpread = modelMeans.every((m) => m === modelMeans[0]);
    if (groups.length >= rules.minModels && (noSpread || (r !== null && r < rules.minItemRest)))
      flags.push('no-separation');
    if (repeatSd !== null && repeatSd >= rules.maxRepeatSd) flags.push('noisy');
    out.push({
      item,
      models: groups.length,
      observations: all.length,
      mean: mean(all),
      passRate: passes / all.length,
      modelsPassing,
      itemRest: r,
      repeatSd,
      reliability: iccOneWay(groups),
      flags,
    });
  }
  return out.sort((x, y) => x.item.localeCompare(y.item));
}
