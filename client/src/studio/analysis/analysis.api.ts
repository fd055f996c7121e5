import type { ItemAnalysis, ItemAnalysisRow, ItemFlag } from '../../../../schema/api/analysis.ts';
import { api, readJson } from '../../api/client.ts';

// The benchmark analysis endpoints the studio calls; each returns parsed JSON or throws ApiError.

export type { ItemAnalysis, ItemAnalysisRow, ItemFlag };

/** Item analysis of every scenario under a judge version (null: the default judge). */
export async function fetchItemAnalysis(judge: string | null): Promise<ItemAnalysis> {
  return readJson(await api.analysis.items.$get({ query: judge ? { judge } : {} }));
}

export type { BenchmarkHealth, BehaviourHealth } from '../../../../schema/api/analysis.ts';

/** Coverage, ceiling/floor and discrimination per behaviour, and where to write next. */
export async function fetchBenchmarkHealth(judge: string | null) {
  return readJson(await api.analysis.health.$get({ query: judge ? { judge } : {} }));
}

export type { AnchorSubsetReport } from '../../../../schema/api/analysis.ts';

/** About k scenarios that estimate each model's full mean, with the leave-one-model-out check. */
export async function fetchAnchorSubset(judge: string | null, k: number) {
  return readJson(await api.analysis.subset.$get({ query: judge ? { judge, k: String(k) } : { k: String(k) } }));
}
