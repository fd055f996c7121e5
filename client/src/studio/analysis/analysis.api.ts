import type { ItemAnalysis, ItemAnalysisRow, ItemFlag } from '../../../../schema/api/analysis.ts';
import { api, readJson } from '../../api/client.ts';

// The benchmark analysis endpoints the studio calls; each returns parsed JSON or throws ApiError.

export type { ItemAnalysis, ItemAnalysisRow, ItemFlag };

export const analysisKeys = {
  items: (judge: string | null) => ['analysis', 'items', judge] as const,
};

/** Item analysis of every scenario under a judge version (null: the default judge). */
export async function fetchItemAnalysis(judge: string | null): Promise<ItemAnalysis> {
  return (await readJson(await api.analysis.items.$get({ query: judge ? { judge } : {} }))) as ItemAnalysis;
}
