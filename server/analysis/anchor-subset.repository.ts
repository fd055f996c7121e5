import type { AnchorSubsetReport } from '../../schema/api/analysis.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { estimateMean, selectAnchors, validateLeaveOneModelOut } from '../stats/anchor-subset.ts';
import { groupScores } from '../stats/item-analysis.ts';
import { judgedTranscripts } from './item-analysis.repository.ts';

/**
 * A subset of about `k` scenarios that estimates each model's mean over all of them, chosen from
 * the models that ran every scenario under `judge` (a model with gaps cannot be compared item by
 * item), stratified by category, with its leave-one-model-out validation.
 */
export async function anchorSubsetReport(db: Db, judge: JudgeVersion, k: number): Promise<AnchorSubsetReport> {
  const scenarios = new Map(
    (await db.selectFrom('scenario').select(['id', 'title', 'category', 'content_hash']).execute()).map((s) => [
      s.id,
      s,
    ]),
  );
  const { transcripts } = await judgedTranscripts(db, judge.id, scenarios);
  const byItem = groupScores(transcripts);
  const items = [...byItem.keys()].sort();
  const allModels = [...new Set(transcripts.map((t) => t.model))].sort();
  const complete = allModels.filter((m) => items.every((i) => byItem.get(i)!.has(m)));
  const base = {
    judgeVersionId: judge.id,
    scenarios: items.length,
    k,
    models: complete,
    leftOutModels: allModels.filter((m) => !complete.includes(m)),
  };
  if (complete.length < 3 || items.length < 2)
    return {
      ...base,
      reason: `needs 3 models that ran every scenario and 2 scenarios (has ${complete.length} and ${items.length})`,
      subset: null,
      validation: null,
    };
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const scores = complete.map((m) => items.map((i) => mean(byItem.get(i)!.get(m)!)));
  // A scenario no longer in the corpus has no category to stratify by: it forms its own stratum.
  const strata = items.map((i) => scenarios.get(i)?.category ?? '(not in the corpus)');
  const subset = selectAnchors(scores, strata, k);
  const lomo = validateLeaveOneModelOut(scores, strata, k);
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
      estimates: complete.map((model, m) => ({
        model,
        full: mean(scores[m]!),
        estimate: estimateMean(subset, scores[m]!),
      })),
    },
    validation: {
      meanAbsoluteError: lomo.meanAbsoluteError,
      coverage: lomo.coverage,
      models: lomo.models.map((r) => ({
        model: complete[r.model]!,
        full: r.truth,
        estimate: r.estimate,
        low: r.low,
        high: r.high,
      })),
    },
  };
}
