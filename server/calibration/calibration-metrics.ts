import { f1Score, kappaFromMatrix } from '../stats/agreement.ts';
import { seededRandom } from '../stats/bootstrap.ts';
import { alphaFromCoincidences, coincidences, type Coincidences } from '../stats/krippendorff.ts';

// Judge-human agreement over annotated transcripts.
//
// Human consensus, chosen on purpose (README, calibration):
// - continuous metrics (correlations, error, bias): the mean of the annotators' scores;
// - categorical metrics (weighted kappa, the confusion matrix): under the `majority` rule (the
//   default) the score most annotators gave, and when two or more scores tie for most the
//   transcript is "split"; under `rounded-mean` the mean rounded half to even (3.5 -> 4,
//   2.5 -> 2), so no direction is favoured;
// - pass/fail: under `majority` each annotator's own pass (score >= the study's human pass
//   threshold) is a vote and an even vote is "split"; under `rounded-mean` the rounded mean
//   against the threshold. Split transcripts are counted and left out of the categorical metrics.
// The humans' pass threshold belongs to the annotation study (default >= 4), never to the judge;
// the judge's own threshold only decides the judge's pass.
// A criterion counts as met by the humans when more than half of the annotators ticked it.
//
// Intervals: below `minN` transcripts (default 5) a group gets no interval at all (null): a
// bootstrap of one or two items is degenerate, not uncertain.
//
// Speed: a transcript's contribution to every score metric depends only on its "profile" (the
// judge's score and the multiset of human scores), of which there are a few hundred at most. The
// metrics are computed from profile counts, so a bootstrap resample costs one counter increment
// per drawn transcript, not a pass over all metrics. Criterion counts are summed per draw.

export interface CalibrationItem {
  id: string;
  category: string;
  behavior: string;
  judge: { score: number; passMet: readonly number[]; failMet: readonly number[] };
  humans: readonly { score: number; passMet: readonly number[]; failMet: readonly number[] }[];
  passCriteria: number;
  failCriteria: number;
}

export interface Ci {
  low: number;
  high: number;
}

/** How the annotators' scores become one categorical verdict (see the header). */
export type ConsensusRule = 'majority' | 'rounded-mean';

export interface CalibrationOptions {
  /** The judge version's pass threshold: only the judge's pass uses it. */
  judgeThreshold?: number;
  /** The annotation study's human pass threshold (default 4). */
  humanThreshold?: number;
  consensus?: ConsensusRule;
  /** Fewest transcripts a group needs for an interval (default 5). */
  minN?: number;
  resamples?: number;
  seed?: number;
}

export const DEFAULT_MIN_N = 5;
export const DEFAULT_HUMAN_THRESHOLD = 4;

export interface AgreementMetrics {
  n: number;
  /** Transcripts whose annotators split on the score (left out of QWK and the confusion matrix). */
  scoreSplits: number;
  /** Transcripts whose annotators split on pass/fail (left out of pass/fail agreement and kappa). */
  passSplits: number;
  humanMean: number | null;
  judgeMean: number | null;
  pearson: number | null;
  spearman: number | null;
  mae: number | null;
  within1: number | null;
  bias: number | null;
  qwk: number | null;
  passAgreement: number | null;
  passKappa: number | null;
  passCriteriaF1: number | null;
  failCriteriaF1: number | null;
  /** Human-human ceiling: Krippendorff's alpha over the annotators' scores. */
  humanAlphaOrdinal: number | null;
  humanAlphaInterval: number | null;
}

export type MetricName = Exclude<keyof AgreementMetrics, 'n' | 'scoreSplits' | 'passSplits'>;

export interface MetricsWithCi {
  metrics: AgreementMetrics;
  /** 95% percentile bootstrap intervals; null below `minN` transcripts or where the statistic is mostly undefined. */
  ci: Record<MetricName, Ci | null>;
  /** Rows: human consensus score 1..5 (split transcripts left out); columns: judge 1..5. */
  confusion: number[][];
  /** Rows: human pass, fail (split transcripts left out); columns: judge pass, fail. */
  passFail: number[][];
}

export interface CalibrationReport {
  /** The judge version's pass threshold (judge side of pass/fail). */
  judgeThreshold: number;
  /** The annotation study's pass threshold (human side of pass/fail). */
  humanThreshold: number;
  consensus: ConsensusRule;
  minN: number;
  resamples: number;
  overall: MetricsWithCi;
  byCategory: Record<string, MetricsWithCi>;
  byBehavior: Record<string, MetricsWithCi>;
}

interface Profile {
  judge: number;
  humanMean: number;
  /** The categorical consensus score, or 0 when the annotators split. */
  humanCategory: number;
  /** 1 pass, 0 fail, -1 split. */
  humanPass: number;
  /** The human scores' coincidences in a fixed 5 x 5 frame (values 1..5): nonzero cells only. */
  coincidenceCells: Int32Array;
  coincidenceValues: Float64Array;
  /** Index of humanMean among the distinct human means (ascending), for ranks without sorting. */
  meanIndex: number;
}

interface Prepared {
  profiles: Profile[];
  /** The distinct human means, ascending. */
  means: number[];
  profileOf: Int32Array;
  /** Per item: tp, fp, fn for pass criteria, then for fail criteria. */
  criteria: Int32Array;
}

/** Round half to even: 3.5 -> 4, 2.5 -> 2 (no systematic direction). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (Math.abs(d - 0.5) > 1e-9) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** The categorical consensus of annotators' scores: a score, or null when they split (see the header). */
export function consensusScore(scores: readonly number[], rule: ConsensusRule): number | null {
  if (scores.length === 0) return null;
  if (rule === 'rounded-mean') return roundHalfEven(scores.reduce((s, x) => s + x, 0) / scores.length);
  const counts = new Map<number, number>();
  for (const x of scores) counts.set(x, (counts.get(x) ?? 0) + 1);
  const most = Math.max(...counts.values());
  const modes = [...counts].filter(([, c]) => c === most);
  return modes.length === 1 ? modes[0]![0] : null;
}

/** The humans' pass/fail on a transcript: true, false, or null when they split (see the header). */
export function consensusPass(scores: readonly number[], threshold: number, rule: ConsensusRule): boolean | null {
  if (scores.length === 0) return null;
  if (rule === 'rounded-mean') return consensusScore(scores, rule)! >= threshold;
  const votes = scores.filter((x) => x >= threshold).length * 2;
  return votes > scores.length ? true : votes < scores.length ? false : null;
}

function prepare(items: readonly CalibrationItem[], humanThreshold: number, rule: ConsensusRule): Prepared {
  const keys = new Map<string, number>();
  const profiles: Profile[] = [];
  const profileOf = new Int32Array(items.length);
  const criteria = new Int32Array(items.length * 6);
  items.forEach((item, i) => {
    const humanScores = item.humans.map((h) => h.score).sort((a, b) => a - b);
    const key = `${item.judge.score}|${humanScores.join(',')}`;
    let p = keys.get(key);
    if (p === undefined) {
      p = profiles.length;
      keys.set(key, p);
      const c = coincidences([humanScores]);
      const flat = new Float64Array(25);
      c.values.forEach((vi, a) => c.values.forEach((vk, b) => (flat[(vi - 1) * 5 + (vk - 1)] = c.o[a]![b]!)));
      const cells = [...flat.keys()].filter((k) => flat[k] !== 0);
      profiles.push({
        judge: item.judge.score,
        humanMean: humanScores.reduce((s, x) => s + x, 0) / humanScores.length,
        humanCategory: consensusScore(humanScores, rule) ?? 0,
        humanPass: ((p) => (p === null ? -1 : p ? 1 : 0))(consensusPass(humanScores, humanThreshold, rule)),
        coincidenceCells: Int32Array.from(cells),
        coincidenceValues: Float64Array.from(cells, (k) => flat[k]!),
        meanIndex: -1,
      });
    }
    profileOf[i] = p;
    // Per criterion: met by the humans (more than half ticked it) against met by the judge.
    const counts = (kind: 'passMet' | 'failMet', total: number) => {
      const c = { tp: 0, fp: 0, fn: 0 };
      for (let k = 0; k < total; k++) {
        let ticked = 0;
        for (const h of item.humans) if (h[kind].includes(k)) ticked++;
        const truth = ticked * 2 > item.humans.length;
        const predicted = item.judge[kind].includes(k);
        if (predicted && truth) c.tp++;
        else if (predicted) c.fp++;
        else if (truth) c.fn++;
      }
      return c;
    };
    const pc = counts('passMet', item.passCriteria);
    const fc = counts('failMet', item.failCriteria);
    criteria.set([pc.tp, pc.fp, pc.fn, fc.tp, fc.fp, fc.fn], i * 6);
  });
  const means = [...new Set(profiles.map((p) => p.humanMean))].sort((a, b) => a - b);
  const meanIndex = new Map(means.map((m, i) => [m, i]));
  for (const p of profiles) p.meanIndex = meanIndex.get(p.humanMean)!;
  return { profiles, means, profileOf, criteria };
}

/** Every metric from weights per profile and summed criterion counts, with no intervals. */
function metricsFromCounts(
  prepared: Pick<Prepared, 'profiles' | 'means'>,
  w: ArrayLike<number>,
  crit: ArrayLike<number>,
  judgeThreshold: number,
  active?: Int32Array,
): MetricsWithCi {
  const s = statisticsFromCounts(prepared, w, crit, judgeThreshold, active);
  return { metrics: s.metrics, ci: noCi(), confusion: s.confusion, passFail: s.passFail };
}

/** metricsFromCounts without the (empty) intervals: a bootstrap resample reads only the metrics. */
function statisticsFromCounts(
  { profiles, means }: Pick<Prepared, 'profiles' | 'means'>,
  w: ArrayLike<number>,
  crit: ArrayLike<number>,
  judgeThreshold: number,
  active?: Int32Array,
): Omit<MetricsWithCi, 'ci'> {
  // Only the profiles the group has can carry weight: a behaviour's few hundred transcripts use
  // a fraction of all profiles, and this runs for every group in every resample.
  const present = active ?? Int32Array.from(profiles.keys());
  const m = weightedMeans(profiles, w, present);
  if (m.n === 0) return { metrics: emptyMetrics(), ...emptyTables() };
  const t = tablesAndCovariance(profiles, w, present, m, judgeThreshold);
  const pf = f1Score({ tp: crit[0]!, fp: crit[1]!, fn: crit[2]!, tn: 0 });
  const ff = f1Score({ tp: crit[3]!, fp: crit[4]!, fn: crit[5]!, tn: 0 });
  const humans = humanCoincidences(profiles, w, present);
  const agree = t.passFail[0]![0]! + t.passFail[1]![1]!;
  const decided = m.n - t.passSplits;
  return {
    metrics: {
      n: m.n,
      scoreSplits: t.scoreSplits,
      passSplits: t.passSplits,
      humanMean: m.human,
      judgeMean: m.judge,
      pearson: t.sxx === 0 || t.syy === 0 ? null : t.sxy / Math.sqrt(t.sxx * t.syy),
      spearman: rankCorrelation(profiles, means, w, present, m.n),
      mae: m.absErr / m.n,
      within1: m.within / m.n,
      bias: m.judge - m.human,
      qwk: kappaFromMatrix(t.confusion, 'quadratic'),
      passAgreement: decided > 0 ? agree / decided : null,
      passKappa: kappaFromMatrix(t.passFail, 'none'),
      passCriteriaF1: pf.f1,
      failCriteriaF1: ff.f1,
      humanAlphaOrdinal: alphaFromCoincidences(humans, 'ordinal'),
      humanAlphaInterval: alphaFromCoincidences(humans, 'interval'),
    },
    confusion: t.confusion,
    passFail: t.passFail,
  };
}

// The passes of metricsFromCounts, one per family of statistics. Each walks the present profiles
// once and skips those without weight in this (re)sample.

interface WeightedMeans {
  n: number;
  judge: number;
  human: number;
  absErr: number;
  within: number;
}

/** Total weight, the two means, and the absolute-error and within-one sums. */
function weightedMeans(profiles: readonly Profile[], w: ArrayLike<number>, present: Int32Array): WeightedMeans {
  let n = 0;
  let sj = 0;
  let sh = 0;
  let absErr = 0;
  let within = 0;
  for (const p of present) {
    const wp = w[p]!;
    if (!wp) continue;
    const pr = profiles[p]!;
    n += wp;
    sj += wp * pr.judge;
    sh += wp * pr.humanMean;
    const d = pr.judge - pr.humanMean;
    absErr += wp * Math.abs(d);
    if (Math.abs(d) <= 1 + 1e-9) within += wp;
  }
  return { n, judge: n ? sj / n : 0, human: n ? sh / n : 0, absErr, within };
}

function emptyTables(): Pick<MetricsWithCi, 'confusion' | 'passFail'> {
  return {
    confusion: [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]),
    passFail: [
      [0, 0],
      [0, 0],
    ],
  };
}

/** Pearson's sums, the score confusion matrix and the pass/fail table, with the humans' splits counted apart. */
function tablesAndCovariance(
  profiles: readonly Profile[],
  w: ArrayLike<number>,
  present: Int32Array,
  m: WeightedMeans,
  judgeThreshold: number,
) {
  const { confusion, passFail } = emptyTables();
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let scoreSplits = 0;
  let passSplits = 0;
  for (const p of present) {
    const wp = w[p]!;
    if (!wp) continue;
    const pr = profiles[p]!;
    sxy += wp * (pr.judge - m.judge) * (pr.humanMean - m.human);
    sxx += wp * (pr.judge - m.judge) ** 2;
    syy += wp * (pr.humanMean - m.human) ** 2;
    if (pr.humanCategory === 0) scoreSplits += wp;
    else confusion[pr.humanCategory - 1]![pr.judge - 1]! += wp;
    if (pr.humanPass < 0) passSplits += wp;
    else passFail[pr.humanPass === 1 ? 0 : 1]![pr.judge >= judgeThreshold ? 0 : 1]! += wp;
  }
  return { confusion, passFail, sxy, sxx, syy, scoreSplits, passSplits };
}

/**
 * Spearman: weighted Pearson of average ranks. Judge scores take 5 values and human means a few
 * dozen, so ranks come from counts per value, with no sorting per resample.
 */
function rankCorrelation(
  profiles: readonly Profile[],
  means: readonly number[],
  w: ArrayLike<number>,
  present: Int32Array,
  n: number,
): number | null {
  const judgeCounts = new Float64Array(5);
  const meanCounts = new Float64Array(means.length);
  for (const p of present) {
    const wp = w[p]!;
    if (!wp) continue;
    judgeCounts[profiles[p]!.judge - 1]! += wp;
    meanCounts[profiles[p]!.meanIndex]! += wp;
  }
  const judgeRank = averageRanks(judgeCounts);
  const meanRankOf = averageRanks(meanCounts);
  const meanRank = (n + 1) / 2;
  let rxy = 0;
  let rxx = 0;
  let ryy = 0;
  for (const p of present) {
    const wp = w[p]!;
    if (!wp) continue;
    const pr = profiles[p]!;
    const a = judgeRank[pr.judge - 1]! - meanRank;
    const b = meanRankOf[pr.meanIndex]! - meanRank;
    rxy += wp * a * b;
    rxx += wp * a * a;
    ryy += wp * b * b;
  }
  return rxx === 0 || ryy === 0 ? null : rxy / Math.sqrt(rxx * ryy);
}

/** The average rank of each value, from the weight at each value in order. */
function averageRanks(counts: Float64Array): Float64Array {
  const ranks = new Float64Array(counts.length);
  let below = 0;
  for (let v = 0; v < counts.length; v++) {
    ranks[v] = below + (counts[v]! + 1) / 2;
    below += counts[v]!;
  }
  return ranks;
}

/** The human-human ceiling's coincidence matrix: each profile's coincidences, weighted and summed. */
function humanCoincidences(profiles: readonly Profile[], w: ArrayLike<number>, present: Int32Array): Coincidences {
  const o = new Float64Array(25);
  for (const p of present) {
    const wp = w[p]!;
    if (!wp) continue;
    const pr = profiles[p]!;
    const cells = pr.coincidenceCells;
    for (let k = 0; k < cells.length; k++) o[cells[k]!]! += wp * pr.coincidenceValues[k]!;
  }
  // The values used (a row or a column with weight), and their rows: loops, as this runs for every
  // group in every resample.
  const used: number[] = [];
  for (let i = 0; i < 5; i++) {
    for (let k = 0; k < 5; k++) {
      if (o[i * 5 + k]! > 0 || o[k * 5 + i]! > 0) {
        used.push(i);
        break;
      }
    }
  }
  const values: number[] = [];
  const rows: number[][] = [];
  for (const i of used) {
    values.push(i + 1);
    const row: number[] = [];
    for (const k of used) row.push(o[i * 5 + k]!);
    rows.push(row);
  }
  return { values, o: rows };
}

function emptyMetrics(): AgreementMetrics {
  return {
    n: 0,
    scoreSplits: 0,
    passSplits: 0,
    humanMean: null,
    judgeMean: null,
    pearson: null,
    spearman: null,
    mae: null,
    within1: null,
    bias: null,
    qwk: null,
    passAgreement: null,
    passKappa: null,
    passCriteriaF1: null,
    failCriteriaF1: null,
    humanAlphaOrdinal: null,
    humanAlphaInterval: null,
  };
}

const CI_METRICS: MetricName[] = [
  'humanMean',
  'judgeMean',
  'pearson',
  'spearman',
  'mae',
  'within1',
  'bias',
  'qwk',
  'passAgreement',
  'passKappa',
  'passCriteriaF1',
  'failCriteriaF1',
  'humanAlphaOrdinal',
  'humanAlphaInterval',
];

/** Ints per gathered record in the bootstrap's loop: the profile, six criteria counts, one spare (a power of two, so a record's offset is a shift). */
const RECORD_SHIFT = 3;
const RECORD = 1 << RECORD_SHIFT;

function noCi(): Record<MetricName, Ci | null> {
  return Object.fromEntries(CI_METRICS.map((m) => [m, null])) as Record<MetricName, Ci | null>;
}

/** Metrics of a subset of items (indices), with percentile bootstrap CIs over those items (none below minN). */
function metricsWithCi(
  prepared: Prepared,
  indices: Int32Array,
  threshold: number,
  resamples: number,
  seed: number,
  minN: number,
): MetricsWithCi {
  const P = prepared.profiles.length;
  const w = new Float64Array(P);
  const crit = new Float64Array(6);
  for (const i of indices) {
    w[prepared.profileOf[i]!]!++;
    for (let k = 0; k < 6; k++) crit[k]! += prepared.criteria[i * 6 + k]!;
  }
  const active = Int32Array.from(new Set(Array.from(indices, (i) => prepared.profileOf[i]!)));
  const result = metricsFromCounts(prepared, w, crit, threshold, active);
  if (resamples <= 0 || indices.length < Math.max(2, minN)) return result;

  const samples = new Map<MetricName, number[]>(CI_METRICS.map((m) => [m, []]));
  const n = indices.length;
  // Each draw reads one record of the subset, gathered here: its item's profile and six criteria
  // counts side by side (8 ints, 32 bytes: one cache line). Read through indices, profileOf and
  // criteria, a draw touched three places in memory, and at 33,000 items those misses were most of
  // the loop's time. The sums are the same integers added in the same order.
  const records = new Int32Array(n * RECORD);
  for (let j = 0; j < n; j++) {
    const i = indices[j]!;
    records[j * RECORD] = prepared.profileOf[i]!;
    records.set(prepared.criteria.subarray(i * 6, i * 6 + 6), j * RECORD + 1);
  }
  // mulberry32 inlined (the same generator as seededRandom): this loop runs n x resamples times.
  let state = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    w.fill(0);
    let c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0,
      c4 = 0,
      c5 = 0;
    for (let d = 0; d < n; d++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const base = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) << RECORD_SHIFT;
      w[records[base]!]!++;
      c0 += records[base + 1]!;
      c1 += records[base + 2]!;
      c2 += records[base + 3]!;
      c3 += records[base + 4]!;
      c4 += records[base + 5]!;
      c5 += records[base + 6]!;
    }
    crit[0] = c0;
    crit[1] = c1;
    crit[2] = c2;
    crit[3] = c3;
    crit[4] = c4;
    crit[5] = c5;
    const m = statisticsFromCounts(prepared, w, crit, threshold, active).metrics;
    for (const name of CI_METRICS) {
      const v = m[name];
      if (v !== null && Number.isFinite(v)) samples.get(name)!.push(v);
    }
  }
  for (const name of CI_METRICS) {
    const s = samples.get(name)!.sort((a, b) => a - b);
    if (s.length < resamples / 2) continue;
    const q = (p: number) => {
      const h = (s.length - 1) * p;
      const lo = Math.floor(h);
      return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
    };
    result.ci[name] = { low: q(0.025), high: q(0.975) };
  }
  return result;
}

function settle(opts: CalibrationOptions) {
  return {
    judgeThreshold: opts.judgeThreshold ?? 4,
    humanThreshold: opts.humanThreshold ?? DEFAULT_HUMAN_THRESHOLD,
    consensus: opts.consensus ?? ('majority' as ConsensusRule),
    minN: opts.minN ?? DEFAULT_MIN_N,
    resamples: opts.resamples ?? 1000,
    seed: opts.seed ?? 20261127,
  };
}

export interface SweepRow {
  threshold: number;
  agreement: number | null;
  kappa: number | null;
  ci: { agreement: Ci | null; kappa: Ci | null };
}

/**
 * Pass/fail agreement and Cohen's kappa at each judge threshold, with bootstrap intervals. The
 * humans' side (consensus, threshold) is exactly the report's, so at the judge's own threshold
 * the sweep and the report give the same numbers.
 */
export function thresholdSweep(
  items: readonly CalibrationItem[],
  opts: CalibrationOptions & { thresholds?: readonly number[] } = {},
): SweepRow[] {
  const o = settle(opts);
  const usable = items.filter((i) => i.humans.length > 0);
  const prepared = prepare(usable, o.humanThreshold, o.consensus);
  const all = Int32Array.from(usable.keys());
  return (opts.thresholds ?? [2, 3, 4, 5]).map((threshold) => {
    const r = metricsWithCi(prepared, all, threshold, o.resamples, o.seed, o.minN);
    return {
      threshold,
      agreement: r.metrics.passAgreement,
      kappa: r.metrics.passKappa,
      ci: { agreement: r.ci.passAgreement, kappa: r.ci.passKappa },
    };
  });
}

/** The full calibration report: overall, by category and by behaviour, each with bootstrap CIs. */
export function computeCalibration(
  items: readonly CalibrationItem[],
  opts: CalibrationOptions = {},
): CalibrationReport {
  const { judgeThreshold, humanThreshold, consensus, minN, resamples, seed } = settle(opts);
  const usable = items.filter((i) => i.humans.length > 0);
  const prepared = prepare(usable, humanThreshold, consensus);
  const all = Int32Array.from(usable.keys());
  const groups = (key: 'category' | 'behavior') => {
    const by = new Map<string, number[]>();
    usable.forEach((item, i) => {
      const list = by.get(item[key]);
      if (list) list.push(i);
      else by.set(item[key], [i]);
    });
    return Object.fromEntries(
      [...by]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([g, idx], k) => [
          g,
          metricsWithCi(prepared, Int32Array.from(idx), judgeThreshold, resamples, seed + k + 1, minN),
        ]),
    );
  };
  return {
    judgeThreshold,
    humanThreshold,
    consensus,
    minN,
    resamples,
    overall: metricsWithCi(prepared, all, judgeThreshold, resamples, seed, minN),
    byCategory: groups('category'),
    byBehavior: groups('behavior'),
  };
}

/** One metric of a candidate against the current version on the same transcripts: candidate minus current. */
export interface MetricDifference {
  value: number | null;
  /** Paired percentile bootstrap interval (the same resampled transcripts for both); null below minN. */
  ci: Ci | null;
}

export interface PairedComparison {
  /** Transcripts both versions have a verdict on (the comparison is over these only). */
  n: number;
  minN: number;
  resamples: number;
  current: MetricsWithCi;
  candidate: MetricsWithCi;
  difference: Record<MetricName, MetricDifference>;
}

/**
 * Two judge versions on the same annotated transcripts: each one's metrics, and the paired
 * bootstrap interval of every difference. Transcripts either version lacks a verdict on are left
 * out of both, so the two are measured on exactly the same humans.
 */
export function comparePaired(
  current: readonly CalibrationItem[],
  candidate: readonly CalibrationItem[],
  opts: CalibrationOptions & { candidateThreshold?: number } = {},
): PairedComparison {
  const o = settle(opts);
  const ids = new Set(candidate.filter((i) => i.humans.length > 0).map((i) => i.id));
  const a = current.filter((i) => i.humans.length > 0 && ids.has(i.id)).sort((x, y) => x.id.localeCompare(y.id));
  const byId = new Map(candidate.map((i) => [i.id, i]));
  const b = a.map((i) => byId.get(i.id)!);
  const pa = prepare(a, o.humanThreshold, o.consensus);
  const pb = prepare(b, o.humanThreshold, o.consensus);
  const all = Int32Array.from(a.keys());
  const candidateThreshold = opts.candidateThreshold ?? o.judgeThreshold;
  const ma = metricsWithCi(pa, all, o.judgeThreshold, o.resamples, o.seed, o.minN);
  const mb = metricsWithCi(pb, all, candidateThreshold, o.resamples, o.seed, o.minN);
  const difference = Object.fromEntries(
    CI_METRICS.map((m) => {
      const x = ma.metrics[m];
      const y = mb.metrics[m];
      return [m, { value: x === null || y === null ? null : y - x, ci: null }];
    }),
  ) as Record<MetricName, MetricDifference>;
  const n = a.length;
  if (o.resamples > 0 && n >= Math.max(2, o.minN)) {
    const samples = new Map<MetricName, number[]>(CI_METRICS.map((m) => [m, []]));
    const wa = new Float64Array(pa.profiles.length);
    const wb = new Float64Array(pb.profiles.length);
    const ca = new Float64Array(6);
    const cb = new Float64Array(6);
    const random = seededRandom(o.seed);
    for (let r = 0; r < o.resamples; r++) {
      wa.fill(0);
      wb.fill(0);
      ca.fill(0);
      cb.fill(0);
      for (let d = 0; d < n; d++) {
        const i = Math.floor(random() * n);
        wa[pa.profileOf[i]!]!++;
        wb[pb.profileOf[i]!]!++;
        for (let k = 0; k < 6; k++) {
          ca[k]! += pa.criteria[i * 6 + k]!;
          cb[k]! += pb.criteria[i * 6 + k]!;
        }
      }
      const x = metricsFromCounts(pa, wa, ca, o.judgeThreshold).metrics;
      const y = metricsFromCounts(pb, wb, cb, candidateThreshold).metrics;
      for (const m of CI_METRICS) {
        const u = x[m];
        const v = y[m];
        if (u !== null && v !== null && Number.isFinite(u) && Number.isFinite(v)) samples.get(m)!.push(v - u);
      }
    }
    for (const m of CI_METRICS) difference[m].ci = percentileInterval(samples.get(m)!, o.resamples);
  }
  return { n, minN: o.minN, resamples: o.resamples, current: ma, candidate: mb, difference };
}

/** The 95% percentile interval (type 7 quantiles) of defined resample values; null when fewer than half are defined. */
function percentileInterval(values: number[], resamples: number): Ci | null {
  if (values.length === 0 || values.length < resamples / 2) return null;
  const s = values.sort((x, y) => x - y);
  const q = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
  };
  return { low: q(0.025), high: q(0.975) };
}
