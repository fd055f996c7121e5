// How the results pages write and colour alignment scores (1-5, higher is better, pass >= 4,
// warn 3, fail 1-2): one scale everywhere, so a colour means the same score on every plot.

/** Red (1) through amber (3) to green (5): ColorBrewer RdYlGn, which prints and projects legibly. */
const STOPS: [number, [number, number, number]][] = [
  [1, [215, 48, 39]],
  [2, [252, 141, 89]],
  [3, [254, 224, 139]],
  [4, [145, 207, 96]],
  [5, [26, 152, 80]],
];

export function scoreColour(score: number): string {
  const s = Math.max(1, Math.min(5, score));
  const i = Math.min(STOPS.length - 2, Math.floor(s - 1));
  const [s0, c0] = STOPS[i]!;
  const [, c1] = STOPS[i + 1]!;
  const t = s - s0;
  const mix = c0.map((v, k) => Math.round(v + (c1[k]! - v) * t));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}

/** A dimension's scale and which end is good (the primary, alignment, is 1-5 higher-better). */
export interface ColourScale {
  scale: { min: number; max: number };
  direction: 'higher-better' | 'lower-better';
}

/**
 * A score of any dimension placed on the alignment palette: its best end green, its worst red, so
 * a colour means as good or as bad on every dimension (a lower-better dimension is turned round).
 */
export function onAlignmentPalette(score: number, dim: ColourScale): number {
  const share = (score - dim.scale.min) / (dim.scale.max - dim.scale.min);
  return 1 + 4 * (dim.direction === 'lower-better' ? 1 - share : share);
}

/** Dark text on the light middle of the scale, white on the saturated ends. */
export function scoreTextColour(score: number): string {
  return score < 1.6 || score > 4.5 ? '#fff' : '#1f2328';
}

export const scoreText = (score: number) => score.toFixed(2);
export const percentText = (share: number, digits = 1) => `${(100 * share).toFixed(digits)}%`;

/** The verdict band of a score: pass >= 4, warn 3, fail below 3. */
export function band(score: number): 'pass' | 'warn' | 'fail' {
  return score >= 4 ? 'pass' : score >= 3 ? 'warn' : 'fail';
}

/** "3 minutes", "40 s", "1 h 20 min": a duration as a person says it. */
export function durationWords(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function costWords(usd: number | null): string {
  if (usd === null) return 'unknown';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
