// Efficient evaluation: a subset of k scenarios (anchor points) whose weighted scores estimate a
// model's mean over the whole benchmark, after tinyBenchmarks' "anchor points" method (Polo et al.
// 2024, ICML, section 3.1): items are clustered by how the known models scored them; each
// cluster's item nearest its centre stands for the cluster, weighted by the cluster's size.
// Stratified: k is shared among strata (categories) in proportion to their size, at least one
// each, and clusters never cross strata, so every category's mean has its own estimate.
//
// The error is stated from the known models: each one's full mean is estimated from the anchors
// and the root mean square of those errors, inflated by 1.96, is the 95% half-width. Validate by
// leave-one-model-out (validateLeaveOneModelOut): anchors chosen without the held-out model.

import { seededRandom } from './bootstrap.ts';

export interface AnchorSubset {
  /** Item indexes of the anchors, and each anchor's weight (its cluster's share of all items; they sum to 1). */
  anchors: number[];
  weights: number[];
  /** The stratum of each anchor (same order). */
  strata: string[];
  /** Half-width of a 95% interval of an estimated overall mean, from the known models' errors. */
  halfWidth: number;
  /** The same for each stratum's estimated mean, from the known models' errors on that stratum. */
  stratumHalfWidths: Record<string, number>;
}

const meanOf = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
function distance2(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

/**
 * k-means (k-means++ start, Lloyd's iterations) over item vectors; returns each item's cluster.
 * Plain loops, each distance computed once: the anchor choice runs once per held-out model in the
 * leave-one-model-out check, on up to thousands of items.
 */
function kMeans(points: number[][], k: number, random: () => number): number[] {
  const n = points.length;
  const centres: number[][] = [points[Math.floor(random() * n)]!];
  // Each point's squared distance to its nearest centre so far (updated with each new centre).
  const nearest = points.map((p) => distance2(p, centres[0]!));
  while (centres.length < k) {
    const total = nearest.reduce((s, x) => s + x, 0);
    let r = random() * total;
    let pick = nearest.findIndex((x) => (r -= x) <= 0);
    if (pick < 0 || total === 0) pick = centres.length % n;
    const centre = [...points[pick]!];
    centres.push(centre);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, distance2(points[i]!, centre));
  }
  const dims = points[0]?.length ?? 0;
  let assign = new Array<number>(n).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const next = points.map((p) => {
      let best = 0;
      let bestDistance = distance2(p, centres[0]!);
      for (let c = 1; c < k; c++) {
        const d = distance2(p, centres[c]!);
        if (d < bestDistance) {
          best = c;
          bestDistance = d;
        }
      }
      return best;
    });
    const same = next.every((c, i) => c === assign[i]);
    assign = next;
    const sums = Array.from({ length: k }, () => new Array<number>(dims).fill(0));
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const sum = sums[assign[i]!]!;
      const p = points[i]!;
      for (let j = 0; j < dims; j++) sum[j] = sum[j]! + p[j]!;
      counts[assign[i]!]!++;
    }
    for (let c = 0; c < k; c++) if (counts[c]) centres[c] = sums[c]!.map((x) => x / counts[c]!);
    if (same && iter > 0) break;
  }
  return assign;
}

/**
 * Chooses about k anchors from `scores` (known models x items: each model's mean score on each
 * item) with items' `strata`; `seed` makes the choice reproducible.
 */
export function selectAnchors(scores: number[][], strata: string[], k: number, seed = 20261129): AnchorSubset {
  const items = strata.length;
  const random = seededRandom(seed);
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, j) => {
    const members = byStratum.get(s);
    if (members) members.push(j);
    else byStratum.set(s, [j]);
  });
  const anchors: number[] = [];
  const weights: number[] = [];
  const anchorStrata: string[] = [];
  for (const [stratum, members] of [...byStratum].sort(([a], [b]) => a.localeCompare(b))) {
    const kS = Math.min(members.length, Math.max(1, Math.round((k * members.length) / items)));
    const vectors = members.map((j) => scores.map((row) => row[j]!));
    const assign = kMeans(vectors, kS, random);
    for (let c = 0; c < kS; c++) {
      const inCluster = members.map((j, i) => ({ j, v: vectors[i]! })).filter((_, i) => assign[i] === c);
      if (!inCluster.length) continue;
      const centre = inCluster[0]!.v.map((_, d) => inCluster.reduce((s, m) => s + m.v[d]!, 0) / inCluster.length);
      const nearest = inCluster.reduce((best, m) => (distance2(m.v, centre) < distance2(best.v, centre) ? m : best));
      anchors.push(nearest.j);
      weights.push(inCluster.length / items);
      anchorStrata.push(stratum);
    }
  }
  const subset: AnchorSubset = { anchors, weights, strata: anchorStrata, halfWidth: 0, stratumHalfWidths: {} };
  const halfWidthOf = (errors: number[]) =>
    1.96 * Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / Math.max(1, errors.length));
  subset.halfWidth = halfWidthOf(scores.map((row) => estimateMean(subset, row) - meanOf(row)));
  const estimates = scores.map((row) => estimateByStratum(subset, row));
  for (const [stratum, members] of byStratum) {
    const errors = scores.map((row, m) => estimates[m]!.get(stratum)! - meanOf(members.map((j) => row[j]!)));
    subset.stratumHalfWidths[stratum] = halfWidthOf(errors);
  }
  return subset;
}

/** A model's estimated mean over all items from its scores (indexed like the items; only anchors are read). */
export function estimateMean(subset: Pick<AnchorSubset, 'anchors' | 'weights'>, itemScores: readonly number[]): number {
  return subset.anchors.reduce((s, j, a) => s + subset.weights[a]! * itemScores[j]!, 0);
}

/** A model's estimated mean per stratum (its anchors' weighted mean). */
export function estimateByStratum(
  subset: Pick<AnchorSubset, 'anchors' | 'weights' | 'strata'>,
  itemScores: readonly number[],
): Map<string, number> {
  const acc = new Map<string, { sum: number; weight: number }>();
  subset.anchors.forEach((j, a) => {
    const e = acc.get(subset.strata[a]!) ?? { sum: 0, weight: 0 };
    e.sum += subset.weights[a]! * itemScores[j]!;
    e.weight += subset.weights[a]!;
    acc.set(subset.strata[a]!, e);
  });
  return new Map([...acc].map(([s, e]) => [s, e.sum / e.weight]));
}

export interface LeaveOneModelOut {
  /** Per held-out model: its full mean, the estimate from anchors chosen without it, and the interval. */
  models: { model: number; truth: number; estimate: number; low: number; high: number }[];
  meanAbsoluteError: number;
  /** Share of held-out models whose full mean lies inside their interval (nominal 0.95). */
  coverage: number;
  /** Per stratum: the mean absolute error and coverage of the held-out models' stratum means. */
  strata: Record<string, { meanAbsoluteError: number; coverage: number }>;
  k: number;
}

/** Leave-one-model-out validation of selectAnchors on `scores` (models x items). */
export function validateLeaveOneModelOut(
  scores: number[][],
  strata: string[],
  k: number,
  seed?: number,
): LeaveOneModelOut {
  const names = [...new Set(strata)];
  const perStratum = new Map(names.map((n) => [n, { error: 0, covered: 0 }]));
  const models = scores.map((row, m) => {
    const subset = selectAnchors(
      scores.filter((_, i) => i !== m),
      strata,
      k,
      seed,
    );
    const truth = meanOf(row);
    const estimate = estimateMean(subset, row);
    const byStratum = estimateByStratum(subset, row);
    for (const name of names) {
      const e = byStratum.get(name)! - meanOf(row.filter((_, j) => strata[j] === name));
      const acc = perStratum.get(name)!;
      acc.error += Math.abs(e);
      if (Math.abs(e) <= subset.stratumHalfWidths[name]!) acc.covered++;
    }
    return { model: m, truth, estimate, low: estimate - subset.halfWidth, high: estimate + subset.halfWidth };
  });
  return {
    models,
    meanAbsoluteError: models.reduce((s, m) => s + Math.abs(m.estimate - m.truth), 0) / models.length,
    coverage: models.filter((m) => m.truth >= m.low && m.truth <= m.high).length / models.length,
    strata: Object.fromEntries(
      [...perStratum].map(([n, a]) => [
        n,
        { meanAbsoluteError: a.error / models.length, coverage: a.covered / models.length },
      ]),
    ),
    k,
  };
}
