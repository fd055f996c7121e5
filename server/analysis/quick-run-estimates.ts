import type { QuickRun, QuickRunEstimates } from '../../schema/api/quick-runs.ts';
import type { Db } from '../db/database.ts';
import { scoredItems } from '../runs/leaderboard.ts';

/**
 * Each model's estimated full-benchmark mean, overall and per category, from its scores on a quick
 * run's anchors (each anchor's mean over repeats, weighted by its cluster's size), with the 95%
 * interval the subset was stated with. An anchor without a judged score (a failed item) is left out
 * and the weights renormalised over those scored: the interval then understates the error, which
 * `anchorsScored` shows.
 */
export async function quickRunEstimates(db: Db, runId: string, quick: QuickRun): Promise<QuickRunEstimates> {
  const { items } = await scoredItems(db, runId, quick.basisJudgeVersionId);
  const byModel = new Map<string, Map<string, number[]>>();
  for (const it of items) {
    const scenarios = byModel.get(it.model) ?? new Map<string, number[]>();
    scenarios.set(it.scenarioId, [...(scenarios.get(it.scenarioId) ?? []), it.score]);
    byModel.set(it.model, scenarios);
  }
  const categories = [...new Set(quick.anchors.map((a) => a.category))].sort();
  const weighted = (scores: Map<string, number[]>, anchors: QuickRun['anchors']) => {
    let sum = 0;
    let weight = 0;
    for (const a of anchors) {
      const s = scores.get(a.scenarioId);
      if (!s?.length) continue;
      sum += (a.weight * s.reduce((t, x) => t + x, 0)) / s.length;
      weight += a.weight;
    }
    return weight > 0 ? sum / weight : null;
  };
  const interval = (estimate: number | null, halfWidth: number) =>
    estimate === null ? null : { estimate, low: estimate - halfWidth, high: estimate + halfWidth };
  return {
    runId,
    quick,
    models: [...byModel.keys()].sort().map((model) => {
      const scores = byModel.get(model)!;
      return {
        model,
        anchorsScored: quick.anchors.filter((a) => scores.has(a.scenarioId)).length,
        overall: interval(weighted(scores, quick.anchors), quick.halfWidth),
        categories: categories.flatMap((category) => {
          const e = interval(
            weighted(
              scores,
              quick.anchors.filter((a) => a.category === category),
            ),
            quick.categoryHalfWidths[category] ?? NaN,
          );
          return e ? [{ category, ...e }] : [];
        }),
      };
    }),
  };
}
