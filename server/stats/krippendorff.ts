// Krippendorff's alpha for any number of coders, missing values, and nominal, ordinal, interval or
// ratio data, computed from the coincidence matrix as in Krippendorff (2011), "Computing
// Krippendorff's Alpha-Reliability" (Annenberg School for Communication, Departmental Papers 43).

export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/** One unit's values (one per coder who coded it; order does not matter). */
export type UnitValues = readonly number[];

/**
 * Alpha over units. Units with fewer than two values are not pairable and are ignored.
 * Returns null when alpha is undefined: no pairable unit, or a single value used throughout
 * (no expected disagreement).
 */
export function krippendorffAlpha(units: readonly UnitValues[], level: MeasurementLevel): number | null {
  const c = coincidences(units);
  return alphaFromCoincidences(c, level);
}

/** The coincidence matrix: values in ascending order and o[c][k] (pairable values only). */
export interface Coincidences {
  values: number[];
  o: number[][];
}

export function coincidences(units: readonly UnitValues[]): Coincidences {
  const values = [...new Set(units.filter((u) => u.length >= 2).flat())].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const o = values.map(() => values.map(() => 0));
  for (const unit of units) {
    const m = unit.length;
    if (m < 2) continue;
    // Count per value in this unit: each ordered pair of different coders adds 1/(m-1).
    const counts = new Map<number, number>();
    for (const v of unit) counts.set(index.get(v)!, (counts.get(index.get(v)!) ?? 0) + 1);
    for (const [a, na] of counts) {
      for (const [b, nb] of counts) {
        o[a]![b]! += (a === b ? na * (na - 1) : na * nb) / (m - 1);
      }
    }
  }
  return { values, o };
}

export function alphaFromCoincidences({ values, o }: Coincidences, level: MeasurementLevel): number | null {
  // Plain loops (the sums in the same order as before): the calibration bootstrap calls this twice
  // per group per resample.
  const V = values.length;
  if (V === 0) return null;
  const nc: number[] = [];
  let n = 0;
  for (let c = 0; c < V; c++) {
    let sum = 0;
    for (let k = 0; k < V; k++) sum += o[c]![k]!;
    nc.push(sum);
  }
  for (let c = 0; c < V; c++) n += nc[c]!;
  if (n <= 1) return null;
  const delta = distanceFunction(level, values, nc);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta(c, k);
      if (d === 0) continue;
      observed += o[c]![k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  if (expected === 0) return null;
  // alpha = 1 - Do/De with Do = observed/n and De = expected/(n(n-1)).
  return 1 - ((n - 1) * observed) / expected;
}

/** Squared distance between the c-th and k-th values (Krippendorff 2011, section on metrics). */
function distanceFunction(level: MeasurementLevel, values: number[], nc: number[]): (c: number, k: number) => number {
  switch (level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'interval':
      return (c, k) => (values[c]! - values[k]!) ** 2;
    case 'ratio':
      return (c, k) => {
        const sum = values[c]! + values[k]!;
        return sum === 0 ? 0 : ((values[c]! - values[k]!) / sum) ** 2;
      };
    case 'ordinal': {
      // Ranks: the distance between c and k is the mass of values between them, halves at the ends.
      const cumulative = [0];
      for (const x of nc) cumulative.push(cumulative[cumulative.length - 1]! + x);
      return (c, k) => {
        const [lo, hi] = c <= k ? [c, k] : [k, c];
        const between = cumulative[hi + 1]! - cumulative[lo]!;
        return (between - (nc[lo]! + nc[hi]!) / 2) ** 2;
      };
    }
  }
}
