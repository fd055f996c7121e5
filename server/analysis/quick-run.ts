import type { RunSettings } from '../../schema/api/runs.ts';
import type { QuickRun } from '../../schema/api/quick-runs.ts';
import type { Db } from '../db/database.ts';
import { findDefaultJudge, findJudgeVersion } from '../judge/judge.repository.ts';
import { ANCHOR_SEED, anchorSubsetOf } from './anchor-subset.repository.ts';

export type QuickRunPlan = { ok: true; settings: RunSettings } | { ok: false; message: string };

/**
 * The settings of a quick run: the anchor subset of about k scenarios chosen from the models that
 * ran every scenario under the run's judge version (the default judge when none is named), recorded
 * with how it was chosen. Every scenario of the subset is run whatever the filter says: the estimate
 * stands for the benchmark the anchors were chosen from, not for a filtered part of it.
 */
export async function planQuickRun(db: Db, settings: RunSettings, k: number): Promise<QuickRunPlan> {
  const judge = settings.judgeVersionId
    ? await findJudgeVersion(db, settings.judgeVersionId)
    : await findDefaultJudge(db);
  if (!judge) return { ok: false, message: 'a quick run needs a judge version whose runs choose the anchors' };
  const chosen = await anchorSubsetOf(db, judge.id, k);
  if (!chosen.ok)
    return { ok: false, message: `no anchor subset for judge ${judge.name} v${judge.version}: ${chosen.reason}` };
  const quick: QuickRun = {
    k,
    basisJudgeVersionId: judge.id,
    basisModels: chosen.models,
    scenarios: chosen.items.length,
    method: 'anchor points (Polo et al. 2024), k-means per category',
    seed: ANCHOR_SEED,
    anchors: chosen.subset.anchors.map((j, a) => ({
      scenarioId: chosen.items[j]!,
      category: chosen.subset.strata[a]!,
      contentHash: chosen.contentHashes.get(chosen.items[j]!) ?? '',
      weight: chosen.subset.weights[a]!,
    })),
    halfWidth: chosen.subset.halfWidth,
    categoryHalfWidths: chosen.subset.stratumHalfWidths,
  };
  return {
    ok: true,
    settings: {
      ...settings,
      judgeVersionId: judge.id,
      filter: { scope: 'all' },
      scenarioIds: quick.anchors.map((a) => a.scenarioId),
      quick,
    },
  };
}
