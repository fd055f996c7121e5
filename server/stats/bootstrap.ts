// Percentile bootstrap confidence intervals, reproducible from a seed so a published interval can
// be recomputed exactly.

/** A small, fast, seeded PRNG (mulberry32); uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ConfidenceInterval {
  low: number;
  high: number;
  /** Resamples whose statistic was defined (the others are left out). */
  resamples: number;
  level: number;
}

/**
 * Resamples `items` with replacement `resamples` times and returns the percentile interval of
 * `statistic`. Null when fewer than half the resamples give a defined statistic.
 */
export function bootstrapCi<T>(
  items: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  opts: { resamples?: number; seed?: number; level?: number } = {},
): ConfidenceInterval | null {
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  if (items.length === 0) return null;
  const random = seededRandom(opts.seed ?? 1);
  const stats: number[] = [];
  const sample: T[] = new Array(items.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < items.length; i++) sample[i] = items[Math.floor(random() * items.length)]!;
    const s = statistic(sample);
    if (s !== null && Number.isFinite(s)) stats.push(s);
  }
  if (stats.length < resamples / 2) return null;
  stats.sort((a, b) => a - b);
  const at = (q: number) => {
    // Linear interpolation between order statistics (type 7, R's default quantile).
    const h = (stats.length - 1) * q;
    const lo = Math.floor(h);
    return stats[lo]! + (h - lo) * (stats[Math.min(lo + 1, stats.length - 1)]! - stats[lo]!);
  };
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), resamples: stats.length, level };
}
