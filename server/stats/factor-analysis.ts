import { symmetricEigen } from './eigen.ts';

// Factor structure of a model x behaviour score matrix, as the benchmark reports it: principal
// components of the behaviours' correlation matrix (models are the observations), the share of
// variance of the first two, each behaviour's loading on the first, and Cronbach's alpha of the
// behaviours as items of one scale, in both variants: raw (from the covariances, the scores as
// they are) and standardized (from the correlations, as the PCA sees the behaviours).

export interface FactorAnalysis {
  models: number;
  behaviours: number;
  /** Share of total variance per component, descending (first two used in reports). */
  explained: number[];
  /** Loadings on the first component (eigenvector x sqrt(eigenvalue)), signed so that most are positive. */
  loadings: number[];
  /** Loadings on the second component. */
  loadings2: number[];
  /** Raw Cronbach's alpha: from item and total variances (covariance-based). */
  cronbachAlpha: number | null;
  /** Standardized Cronbach's alpha: k r / (1 + (k - 1) r), r the mean inter-behaviour correlation. */
  cronbachAlphaStandardized: number | null;
  /** Plain-language cautions (too few models, constant behaviours). */
  warnings: string[];
  /** Behaviours left out because every model scored them the same, up to float rounding (no variance, no correlation). */
  constant: number[];
}

/**
 * A column is constant when its range is within float rounding of its size: means of the same
 * scores summed in another order differ in the last bits (1.5555555555555554 vs ...556).
 */
export function isConstant(values: readonly number[]): boolean {
  if (values.length === 0) return true;
  const max = Math.max(...values);
  const min = Math.min(...values);
  return max - min <= 1e-9 * Math.max(1, Math.abs(max), Math.abs(min));
}

/** Cronbach's alpha: k/(k-1) * (1 - sum of item variances / variance of the total). Rows are cases. */
export function cronbachAlpha(rows: readonly (readonly number[])[]): number | null {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (n < 2 || k < 2) return null;
  const variance = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  };
  let itemVariances = 0;
  for (let j = 0; j < k; j++) itemVariances += variance(rows.map((r) => r[j]!));
  const total = variance(rows.map((r) => r.reduce((s, x) => s + x, 0)));
  return total === 0 ? null : (k / (k - 1)) * (1 - itemVariances / total);
}

/** Standardized Cronbach's alpha from a correlation matrix (k >= 2). */
export function standardizedAlpha(correlations: readonly (readonly number[])[]): number | null {
  const k = correlations.length;
  if (k < 2) return null;
  let off = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) off += correlations[i]![j]!;
  const r = off / (k * (k - 1));
  const denominator = 1 + (k - 1) * r;
  return denominator === 0 ? null : (k * r) / denominator;
}

/** Pearson correlation matrix of the columns. */
export function correlationMatrix(rows: readonly (readonly number[])[]): number[][] {
  const n = rows.length;
  const k = rows[0]!.length;
  const cols = Array.from({ length: k }, (_, j) => rows.map((r) => r[j]!));
  const std = cols.map((c) => {
    const m = c.reduce((s, x) => s + x, 0) / n;
    const d = c.map((x) => x - m);
    const sd = Math.sqrt(d.reduce((s, x) => s + x * x, 0));
    return d.map((x) => x / sd);
  });
  return std.map((a) => std.map((b) => a.reduce((s, x, i) => s + x * b[i]!, 0)));
}

export function factorAnalysis(matrix: readonly (readonly number[])[]): FactorAnalysis {
  const models = matrix.length;
  const behaviours = matrix[0]?.length ?? 0;
  const warnings: string[] = [];
  const constant = Array.from({ length: behaviours }, (_, j) => j).filter((j) => isConstant(matrix.map((r) => r[j]!)));
  const kept = Array.from({ length: behaviours }, (_, j) => j).filter((j) => !constant.includes(j));
  if (constant.length)
    warnings.push(
      `${constant.length} behaviour(s) have the same score for every model and are left out of the factor analysis.`,
    );
  if (models < 3 || kept.length < 2) {
    warnings.push('Too few models or behaviours with variance for a factor analysis.');
    return {
      models,
      behaviours,
      explained: [],
      loadings: [],
      loadings2: [],
      cronbachAlpha: null,
      cronbachAlphaStandardized: null,
      warnings,
      constant,
    };
  }
  if (models <= kept.length) {
    warnings.push(
      `Only ${models} models for ${kept.length} behaviours: the correlation matrix is singular, sampling adequacy (KMO) cannot be computed, and the loadings are descriptive, not a confirmed factor structure. Read them with care.`,
    );
  }
  const sub = matrix.map((r) => kept.map((j) => r[j]!));
  const correlations = correlationMatrix(sub);
  const { values, vectors } = symmetricEigen(correlations);
  const total = values.reduce((s, x) => s + Math.max(0, x), 0);
  const loadingsOf = (c: number) => {
    const raw = vectors.map((row) => row[c]! * Math.sqrt(Math.max(0, values[c]!)));
    const sign = raw.reduce((s, x) => s + x, 0) < 0 ? -1 : 1;
    const full = new Array<number>(behaviours).fill(0);
    kept.forEach((j, i) => (full[j] = sign * raw[i]!));
    return full;
  };
  return {
    models,
    behaviours,
    explained: values.map((v) => Math.max(0, v) / total),
    loadings: loadingsOf(0),
    loadings2: kept.length > 1 ? loadingsOf(1) : [],
    cronbachAlpha: cronbachAlpha(sub),
    cronbachAlphaStandardized: standardizedAlpha(correlations),
    warnings,
    constant,
  };
}
