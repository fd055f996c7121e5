// Agreement between two raters on the same items (judge vs human consensus): kappas, the
// confusion matrix, F1.

/** Counts of (a, b) pairs over the given categories, rows for `a`. */
export function confusionMatrix<T>(a: readonly T[], b: readonly T[], categories: readonly T[]): number[][] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const m = categories.map(() => categories.map(() => 0));
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const r = index.get(a[i]!);
    const c = index.get(b[i]!);
    if (r !== undefined && c !== undefined) m[r]![c]!++;
  }
  return m;
}

/**
 * Cohen's kappa from a confusion matrix, with disagreement weights w(i, j): none (0/1, the
 * original kappa), or quadratic ((i-j)^2 / (k-1)^2, as used for ordinal scores).
 * kappa = 1 - sum(w * observed) / sum(w * expected). Null when undefined: when either rater used a
 * single category (no variance, as Pearson's r is undefined then; the formula would print 0) or
 * there is nothing to compare.
 */
export function kappaFromMatrix(
  m: readonly (readonly number[])[],
  weights: 'none' | 'quadratic' = 'none',
): number | null {
  // Plain loops, no closures: the calibration bootstrap calls this twice per group per resample.
  const k = m.length;
  if (k < 2) return null;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < k; i++) {
    let r = 0;
    for (let j = 0; j < k; j++) r += m[i]![j]!;
    rows[i] = r;
    n += r;
  }
  if (n === 0) return null;
  for (let j = 0; j < k; j++) {
    let c = 0;
    for (let i = 0; i < k; i++) c += m[i]![j]!;
    cols[j] = c;
  }
  let usedRows = 0;
  let usedCols = 0;
  for (let i = 0; i < k; i++) {
    if (rows[i]! > 0) usedRows++;
    if (cols[i]! > 0) usedCols++;
  }
  if (usedRows < 2 || usedCols < 2) return null;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weights === 'none' ? (i === j ? 0 : 1) : ((i - j) / (k - 1)) ** 2;
      observed += w * m[i]![j]!;
      expected += (w * rows[i]! * cols[j]!) / n;
    }
  }
  return expected === 0 ? null : 1 - observed / expected;
}

/** Cohen's kappa of two label sequences. */
export function cohenKappa<T>(a: readonly T[], b: readonly T[], categories: readonly T[]): number | null {
  return kappaFromMatrix(confusionMatrix(a, b, categories), 'none');
}

/** Quadratic-weighted kappa of two integer score sequences on the scale min..max. */
export function quadraticWeightedKappa(
  a: readonly number[],
  b: readonly number[],
  min: number,
  max: number,
): number | null {
  const categories = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return kappaFromMatrix(confusionMatrix(a, b, categories), 'quadratic');
}

export interface BinaryCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Counts of a prediction against the truth, both booleans. */
export function binaryCounts(truth: readonly boolean[], predicted: readonly boolean[]): BinaryCounts {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < Math.min(truth.length, predicted.length); i++) {
    if (predicted[i] && truth[i]) c.tp++;
    else if (predicted[i]) c.fp++;
    else if (truth[i]) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Precision, recall and F1 of the positive class; null where undefined (no predicted or no true positives). */
export function f1Score(c: BinaryCounts): { precision: number | null; recall: number | null; f1: number | null } {
  const precision = c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn);
  const f1 = c.tp + c.fp + c.fn === 0 ? null : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  return { precision, recall, f1 };
}
