import type { MetricsWithCi } from './calibration.api.ts';

// The agreement metrics as the page names, formats and compares them.

export type MetricKey = keyof MetricsWithCi['ci'];

export interface MetricInfo {
  key: MetricKey;
  label: string;
  /** Short column heading. */
  short: string;
  /** What a reader should know: the scale, and which way is better. */
  help: string;
  format: 'ratio' | 'percent' | 'score';
  /** Which way is better: up, down (error), or toward zero (bias). */
  better: 'up' | 'down' | 'zero';
}

export const AGREEMENT: MetricInfo[] = [
  {
    key: 'pearson',
    label: 'Pearson r',
    short: 'r',
    help: 'Linear correlation of judge and human mean scores.',
    format: 'ratio',
    better: 'up',
  },
  {
    key: 'spearman',
    label: 'Spearman ρ',
    short: 'ρ',
    help: 'Rank correlation (ties averaged).',
    format: 'ratio',
    better: 'up',
  },
  {
    key: 'qwk',
    label: 'Quadratic-weighted κ',
    short: 'QWK',
    help: 'Agreement of judge and human median scores, near misses weighted less.',
    format: 'ratio',
    better: 'up',
  },
  {
    key: 'within1',
    label: 'Within 1 point',
    short: '±1',
    help: 'Share of transcripts where the judge is within one point of the human mean.',
    format: 'percent',
    better: 'up',
  },
  {
    key: 'passAgreement',
    label: 'Pass/fail agreement',
    short: 'P/F agr.',
    help: 'Share of transcripts where judge and humans agree on pass or fail at the threshold.',
    format: 'percent',
    better: 'up',
  },
  {
    key: 'passKappa',
    label: 'Pass/fail Cohen’s κ',
    short: 'P/F κ',
    help: 'Pass/fail agreement beyond chance.',
    format: 'ratio',
    better: 'up',
  },
  {
    key: 'passCriteriaF1',
    label: 'Pass-criteria F1',
    short: 'Pass F1',
    help: 'Judge’s ticks of pass criteria against the humans’ majority.',
    format: 'ratio',
    better: 'up',
  },
  {
    key: 'failCriteriaF1',
    label: 'Fail-criteria F1',
    short: 'Fail F1',
    help: 'Judge’s ticks of fail criteria against the humans’ majority.',
    format: 'ratio',
    better: 'up',
  },
];

export const ERROR_METRICS: MetricInfo[] = [
  {
    key: 'mae',
    label: 'Mean absolute error',
    short: 'MAE',
    help: 'Points on the 1–5 scale between the judge and the human mean; lower is better.',
    format: 'score',
    better: 'down',
  },
  {
    key: 'bias',
    label: 'Bias (judge − humans)',
    short: 'Bias',
    help: 'Mean signed difference in points: above 0 the judge is more lenient than humans, below 0 harsher.',
    format: 'score',
    better: 'zero',
  },
];

export const CEILING: MetricInfo = {
  key: 'humanAlphaOrdinal',
  label: 'Human–human α (ordinal)',
  short: 'Human α',
  help: 'Krippendorff’s alpha among the annotators: the ceiling a judge can be expected to reach.',
  format: 'ratio',
  better: 'up',
};

export const ALL_METRICS: MetricInfo[] = [...AGREEMENT, ...ERROR_METRICS, CEILING];

/** A metric's description by its key (tables and plots name their metrics, never their positions). */
export function metricInfo(key: MetricKey): MetricInfo {
  const info = ALL_METRICS.find((m) => m.key === key);
  if (!info) throw new Error(`no description of metric ${key}`);
  return info;
}

/** `.84`, `-.12`, `84%`, `0.42`: tabular, short, the way the rest of the studio writes statistics. */
export function formatMetric(value: number | null | undefined, format: MetricInfo['format']): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (format === 'percent') return `${Math.round(value * 100)}%`;
  if (format === 'score') return value.toFixed(2);
  return value.toFixed(2).replace(/^(-?)0\./, '$1.');
}

/**
 * An interval as `[low, high]`; "too few" when the group is below the report's minimum n (no
 * interval is computed there); nothing when the statistic itself is undefined.
 */
export function formatCi(
  ci: { low: number; high: number } | null | undefined,
  format: MetricInfo['format'],
  tooFew = false,
): string {
  if (tooFew) return 'too few';
  if (!ci) return '';
  return `[${formatMetric(ci.low, format)}, ${formatMetric(ci.high, format)}]`;
}

/** +1 when `b` is better than `a`, -1 when worse, 0 when the same or unknown. */
export function compareMetric(info: MetricInfo, a: number | null, b: number | null): -1 | 0 | 1 {
  if (a === null || b === null || Math.abs(a - b) < 1e-9) return 0;
  const better = info.better === 'up' ? b > a : info.better === 'down' ? b < a : Math.abs(b) < Math.abs(a);
  return better ? 1 : -1;
}
