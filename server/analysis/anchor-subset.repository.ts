import type { AnchorSubsetReport } from '../../schema/api/analysis.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { estimateMean, selectAnchors, validateLeaveOneModelOut, type AnchorSubset } from '../stats/anchor-subset.ts';
import { groupScores } from '../stats/item-analysis.ts';
import { readJudged, type JudgedRead } from './item-analysis.repository.ts';

/** The seed of every anchor choice: the same scores choose the same anchors. */
export const ANCHOR_SEED = 20261129;

type Scenario = { id: string; title: string; category: string; content_hash: string };

/** The models x scenarios means an anchor subset is chosen from, and the subset (or why there is none). */
type ChosenSubset = {
  scenarios: Map<string, Scenario>;
  items: string[];
  models: string[];
  leftOutModels: string[];
} & (
  | { ok: true; scores: number[][]; strata: string[]; subset: AnchorSubset; contentHashes: Map<string, string> }
  | { ok: false; reason: string }
);

/**
 * A subset of about `k` scenarios that estimates each model's mean over all of them, chosen from
 * the models that ran every scenario under the judge version (a model with gaps cannot be compared
 * item by item), stratified by category.
 */
export async function anchorSubsetOf(db: Db, judgeId: string, k: number, read?: JudgedRead): Promise<ChosenSubset> {
  const { scenarios, transcripts } = read ?? (await readJudged(db, judgeId));
  const byItem = groupScores(transcripts);
  const items = [...byItem.keys()].sort();
  const allModels = [...new Set(transcripts.map((t) => t.model))].sort();
  const complete = allModels.filter((m) => items.every((i) => byItem.get(i)!.has(m)));
  const base = { scenarios, items, models: complete, leftOutModels: allModels.filter((m) => !complete.includes(m)) };
  if (complete.length < 3 || items.length < 2)
    return {
      ...base,
      ok: false,
      reason: `needs 3 models that ran every scenario and 2 scenarios (has ${complete.length} and ${items.length})`,
    };
  const scores = complete.map((m) => items.map((i) => mean(byItem.get(i)!.get(m)!)));
  // A scenario no longer in the corpus has no category to stratify by: it forms its own stratum.
  const strata = items.map((i) => scenarios.get(i)?.category ?? '(not in the corpus)');
  const contentHashes = new Map(items.map((i) => [i, scenarios.get(i)?.content_hash ?? '']));
  return { ...base, ok: true, scores, strata, subset: selectAnchors(scores, strata, k, ANCHOR_SEED), contentHashes };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The anchor subset of about `k` scenarios under `judge`, with its leave-one-model-out validation. */
export async function anchorSubsetReport(db: Db, judge: JudgeVersion, k: number): Promise<AnchorSubsetReport> {
  const chosen = await anchorSubsetOf(db, judge.id, k);
  const base = {
    judgeVersionId: judge.id,
    scenarios: chosen.items.length,
    k,
    models: chosen.models,
    leftOutModels: chosen.leftOutModels,
  };
  if (!chosen.ok) return { ...base, reason: chosen.reason, subset: null, validation: null };
  const { scores, strata, subset, items, scenarios } = chosen;
  const lomo = validateLeaveOneModelOut(scores, strata, k, ANCHOR_SEED);
  return {
    ...base,
    reason: null,
    subset: {
      anchors: subset.anchors.map((j, a) => ({
        scenarioId: items[j]!,
        title: scenarios.get(items[j]!)?.title ?? null,
        category: subset.strata[a]!,
        weight: subset.weights[a]!,
      })),
      halfWidth: subset.halfWidth,
      categoryHalfWidths: subset.stratumHalfWidths,
      estimates: chosen.models.map((model, m) => ({
        model,
        full: mean(scores[m]!),
        estimate: estimateMean(subset, scores[m]!),
      })),
    },
    validation: {
      meanAbsoluteError: lomo.meanAbsoluteError,
      coverage: lomo.coverage,
      categories: lomo.strata,
      models: lomo.models.map((r) => ({
        model: chosen.models[r.model]!,
        full: r.truth,
        estimate: r.estimate,
        low: r.low,
        high: r.high,
      })),
    },
  };
}
