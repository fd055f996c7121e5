import { bootstrapCi } from './bootstrap.ts';

// The effect of each scenario variable on the score (issue 15): for every variable, the mean score
// at each of its values, and each value's difference from the reference value (the first declared)
// with a 95% interval.
//
// The difference is paired: it is taken within matched cells, the same scenario, model and values
// of every other variable, so that scenarios' different difficulty cancels out (a scenario run at
// only one of the two values contributes nothing to that difference). A cell's score at a value is
// the mean over its repeats, as elsewhere on the leaderboard. The interval is the percentile
// bootstrap of the mean cell difference, resampling cells (Efron & Tibshirani 1993, An Introduction
// to the Bootstrap, ch. 13), 1,000 seeded resamples, given from 5 cells up (null below: too few),
// the same rule as the leaderboard's other intervals.

/** One judged transcript of a variant. */
export interface VariantScore {
  model: string;
  /** The variant's id (the unit: repeats of it are averaged). */
  variantId: string;
  /** The scenario it is a variant of. */
  parent: string;
  values: Record<string, string>;
  score: number;
}

export interface ValueMean {
  value: string;
  /** Mean over the variants (each the mean of its repeats) that have this value; null when none ran. */
  mean: number | null;
  /** How many variants (times models) the mean is over. */
  n: number;
}

export interface ValueDifference {
  value: string;
  reference: string;
  /** Mean over matched cells of (score at `value`) - (score at `reference`); null without a matched cell. */
  difference: number | null;
  ci: { low: number; high: number } | null;
  /** Matched cells: the same scenario and model, every other variable at the same value. */
  cells: number;
}

export interface VariableEffect {
  variable: string;
  /** The model, or null for every model of the run together. */
  model: string | null;
  values: ValueMean[];
  differences: ValueDifference[];
}

const BOOTSTRAP = { resamples: 1000, seed: 20261130 };
export const MIN_CELLS_FOR_CI = 5;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Effects of every variable, per model and for all models together. `valueOrder` gives each
 * variable's values in declaration order (the first is the reference); values it does not list
 * follow in order of appearance.
 */
export function variableEffects(
  scores: readonly VariantScore[],
  valueOrder: Record<string, string[]> = {},
): VariableEffect[] {
  // One unit per (model, variant): the mean of its repeats.
  const units = new Map<string, VariantScore & { all: number[] }>();
  for (const s of scores) {
    const key = `${s.model}\u0000${s.variantId}`;
    const u = units.get(key);
    if (u) u.all.push(s.score);
    else units.set(key, { ...s, all: [s.score] });
  }
  const unitList = [...units.values()].map((u) => ({ ...u, score: mean(u.all) }));
  const variables = [...new Set(unitList.flatMap((u) => Object.keys(u.values)))].sort();
  const models = [...new Set(unitList.map((u) => u.model))].sort();
  const out: VariableEffect[] = [];
  for (const variable of variables) {
    const having = unitList.filter((u) => u.values[variable] !== undefined);
    const seen = [...new Set(having.map((u) => u.values[variable]!))];
    const declared = valueOrder[variable] ?? [];
    const values = [...declared.filter((v) => seen.includes(v)), ...seen.filter((v) => !declared.includes(v))];
    for (const model of [...models, null]) {
      const mine = having.filter((u) => model === null || u.model === model);
      if (mine.length === 0) continue;
      // Cells: everything but this variable's value equal.
      const cellOf = (u: (typeof mine)[number]) =>
        JSON.stringify([
          u.model,
          u.parent,
          Object.entries(u.values)
            .filter(([k]) => k !== variable)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ]);
      const cells = new Map<string, Map<string, number>>();
      for (const u of mine) {
        const c = cells.get(cellOf(u)) ?? new Map<string, number>();
        c.set(u.values[variable]!, u.score);
        cells.set(cellOf(u), c);
      }
      const reference = values[0]!;
      out.push({
        variable,
        model,
        values: values.map((value) => {
          const at = mine.filter((u) => u.values[variable] === value).map((u) => u.score);
          return { value, mean: at.length ? mean(at) : null, n: at.length };
        }),
        differences: values.slice(1).map((value) => {
          const diffs = [...cells.values()]
            .filter((c) => c.has(value) && c.has(reference))
            .map((c) => c.get(value)! - c.get(reference)!);
          const ci = diffs.length >= MIN_CELLS_FOR_CI ? bootstrapCi(diffs, (s) => mean(s), BOOTSTRAP) : null;
          return {
            value,
            reference,
            difference: diffs.length ? mean(diffs) : null,
            ci: ci ? { low: ci.low, high: ci.high } : null,
            cells: diffs.length,
          };
        }),
      });
    }
  }
  return out;
}
