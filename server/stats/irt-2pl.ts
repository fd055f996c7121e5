// A two-parameter logistic (2PL) item response model for pass/fail outcomes, fitted by joint
// maximum likelihood with bounds.
//
// Why 2PL on pass/fail rather than a graded response model on the 1-5 scores: the benchmark
// reports pass rates (pass is a score of 4 or more), and a benchmark has few models (24 in the
// published one): a graded model needs four thresholds per item, each estimated from a couple of
// dozen models, where the 2PL needs two. Repeats enter as binomial trials (k passes of n), so
// nothing is averaged away before the fit.
//
//   P(model i passes item j) = 1 / (1 + exp(-a_j (theta_i - b_j)))
//
// a_j is the item's discrimination, b_j its difficulty on the ability scale, theta_i the model's
// ability. The scale is fixed by standardising abilities to mean 0, standard deviation 1 after each
// sweep (and moving a, b with them, which leaves every probability unchanged).
//
// Method (joint maximum likelihood, e.g. Baker & Kim, Item Response Theory, 2nd ed., ch. 7):
// alternate Newton-Raphson (Fisher scoring) steps for each ability with items fixed and for each
// item's (a, b) with abilities fixed, each step capped at 1 unit, until no parameter moves more
// than `tolerance` or the log-likelihood stops rising (relative change below tolerance / 1000). Every parameter is kept within bounds: a perfect pattern (a model passing
// everything, an item nobody fails) has its maximum at infinity, so its estimate sits on a bound
// and is reported as `bounded` instead of as a number worth reading. Joint ML is biased outward
// with few items or models; the estimates are for ranking items, not for reading as exact values.

export interface BinomialCell {
  /** Model index. */
  person: number;
  /** Item index. */
  item: number;
  /** Passes. */
  passes: number;
  /** Trials (repeats). */
  trials: number;
}

export interface TwoPlBounds {
  theta: number;
  b: number;
  aMin: number;
  aMax: number;
}

export const TWO_PL_BOUNDS: TwoPlBounds = { theta: 4, b: 4, aMin: 0.05, aMax: 4 };

export interface TwoPlFit {
  theta: number[];
  a: number[];
  b: number[];
  /** An item whose estimate ended on a bound (every model passed it or failed it, or its fit ran away). */
  bounded: boolean[];
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The log-likelihood of binomial cells under given parameters (invariant to the scale's origin and unit). */
export function twoPlLogLikelihood(cells: readonly BinomialCell[], theta: number[], a: number[], b: number[]): number {
  let ll = 0;
  for (const c of cells) {
    const z = a[c.item]! * (theta[c.person]! - b[c.item]!);
    // log p = -log(1 + e^-z), log (1-p) = -log(1 + e^z), computed stably.
    const logP = -softplus(-z);
    const logQ = -softplus(z);
    ll += c.passes * logP + (c.trials - c.passes) * logQ;
  }
  return ll;
}
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** Fits a 2PL model to `persons` x `items` binomial cells (missing cells are simply absent). */
export function fitTwoPl(
  cells: readonly BinomialCell[],
  persons: number,
  items: number,
  opts: { maxIterations?: number; tolerance?: number; bounds?: TwoPlBounds } = {},
): TwoPlFit {
  const bounds = opts.bounds ?? TWO_PL_BOUNDS;
  const maxIterations = opts.maxIterations ?? 500;
  const tolerance = opts.tolerance ?? 1e-5;
  const byPerson: BinomialCell[][] = Array.from({ length: persons }, () => []);
  const byItem: BinomialCell[][] = Array.from({ length: items }, () => []);
  for (const c of cells) {
    byPerson[c.person]!.push(c);
    byItem[c.item]!.push(c);
  }
  // Start: abilities from each model's pass share, difficulties from each item's, a = 1.
  const logit = (p: number) => Math.log(p / (1 - p));
  const share = (cs: BinomialCell[]) => {
    const t = cs.reduce((s, c) => s + c.trials, 0);
    return t ? clamp(cs.reduce((s, c) => s + c.passes, 0) / t, 0.02, 0.98) : 0.5;
  };
  const theta = byPerson.map((cs) => logit(share(cs)));
  const b = byItem.map((cs) => -logit(share(cs)));
  const a = new Array<number>(items).fill(1);
  standardise(theta, a, b, bounds);

  let iterations = 0;
  let converged = false;
  let previous = twoPlLogLikelihood(cells, theta, a, b);
  while (iterations < maxIterations) {
    iterations++;
    let moved = 0;
    for (let i = 0; i < persons; i++) {
      let g = 0;
      let info = 0;
      for (const c of byPerson[i]!) {
        const aj = a[c.item]!;
        const p = sigmoid(aj * (theta[i]! - b[c.item]!));
        g += aj * (c.passes - c.trials * p);
        info += c.trials * p * (1 - p) * aj * aj;
      }
      if (info <= 1e-12) continue;
      const next = clamp(theta[i]! + clamp(g / info, -1, 1), -bounds.theta, bounds.theta);
      moved = Math.max(moved, Math.abs(next - theta[i]!));
      theta[i] = next;
    }
    for (let j = 0; j < items; j++) {
      let ga = 0;
      let gb = 0;
      let iaa = 0;
      let ibb = 0;
      let iab = 0;
      const aj = a[j]!;
      const bj = b[j]!;
      for (const c of byItem[j]!) {
        const d = theta[c.person]! - bj;
        const p = sigmoid(aj * d);
        const r = c.passes - c.trials * p;
        const w = c.trials * p * (1 - p);
        ga += r * d;
        gb += -r * aj;
        iaa += w * d * d;
        ibb += w * aj * aj;
        iab += -w * d * aj;
      }
      const det = iaa * ibb - iab * iab;
      let da: number;
      let db: number;
      if (det > 1e-12) {
        da = (ibb * ga - iab * gb) / det;
        db = (iaa * gb - iab * ga) / det;
      } else {
        // Singular information (every model on one side): move b alone along its gradient.
        da = 0;
        db = ibb > 1e-12 ? gb / ibb : Math.sign(gb);
      }
      const na = clamp(aj + clamp(da, -1, 1), bounds.aMin, bounds.aMax);
      const nb = clamp(bj + clamp(db, -1, 1), -bounds.b, bounds.b);
      moved = Math.max(moved, Math.abs(na - aj), Math.abs(nb - bj));
      a[j] = na;
      b[j] = nb;
    }
    standardise(theta, a, b, bounds);
    // Done when nothing moves, or when the likelihood stops rising (a parameter pressed against a
    // bound keeps being pushed back and forth by the rescaling without changing the fit).
    const ll = twoPlLogLikelihood(cells, theta, a, b);
    const stalled = Math.abs(ll - previous) <= tolerance * 1e-3 * Math.max(1, Math.abs(ll));
    previous = ll;
    if (moved < tolerance || stalled) {
      converged = true;
      break;
    }
  }
  const edge = 1e-6;
  const bounded = a.map(
    (aj, j) =>
      aj <= bounds.aMin + edge ||
      aj >= bounds.aMax - edge ||
      Math.abs(b[j]!) >= bounds.b - edge ||
      byItem[j]!.every((c) => c.passes === c.trials) ||
      byItem[j]!.every((c) => c.passes === 0),
  );
  return { theta, a, b, bounded, logLikelihood: twoPlLogLikelihood(cells, theta, a, b), iterations, converged };
}

/** Rescales abilities to mean 0, SD 1 and moves a and b so every probability stays the same. */
function standardise(theta: number[], a: number[], b: number[], bounds: TwoPlBounds): void {
  const n = theta.length;
  if (n < 2) return;
  const m = theta.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(theta.reduce((s, x) => s + (x - m) ** 2, 0) / n);
  if (!(sd > 1e-9)) return;
  for (let i = 0; i < n; i++) theta[i] = clamp((theta[i]! - m) / sd, -bounds.theta, bounds.theta);
  for (let j = 0; j < a.length; j++) {
    a[j] = clamp(a[j]! * sd, bounds.aMin, bounds.aMax);
    b[j] = clamp((b[j]! - m) / sd, -bounds.b, bounds.b);
  }
}
