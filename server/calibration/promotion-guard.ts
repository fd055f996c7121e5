import type { MetricName, PairedComparison } from './calibration-metrics.ts';

/**
 * The primary metric of a held-out comparison: mean absolute error against the human mean. It is
 * defined on every transcript (no split is left out, no side can lack variance) and is in points of
 * the scale the judge reports.
 */
export const PRIMARY_METRIC: MetricName = 'mae';

export interface PromotionGuard {
  /** ok: not worse beyond the interval; worse: the whole interval is on the worse side; unknown: no interval. */
  status: 'ok' | 'worse' | 'unknown';
  message: string;
}

/** Whether the candidate is worse than the current version on the primary metric beyond its paired interval. */
export function promotionGuard(comparison: PairedComparison): PromotionGuard {
  const d = comparison.difference[PRIMARY_METRIC];
  const f = (x: number) => x.toFixed(2);
  if (d.value === null || d.ci === null)
    return {
      status: 'unknown',
      message: `the held-out part has ${comparison.n} transcript(s) both versions judged, too few (< ${comparison.minN}) to tell whether the candidate's MAE is worse.`,
    };
  // MAE: lower is better, so worse means the difference (candidate - current) is above zero.
  if (d.ci.low > 0)
    return {
      status: 'worse',
      message: `on the held-out part the candidate's MAE is worse by ${f(d.value)} [${f(d.ci.low)}, ${f(d.ci.high)}].`,
    };
  return {
    status: 'ok',
    message: `on the held-out part the candidate's MAE changes by ${f(d.value)} [${f(d.ci.low)}, ${f(d.ci.high)}]: not worse beyond its interval.`,
  };
}
