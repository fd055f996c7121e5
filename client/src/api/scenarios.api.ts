import type {
  ScenarioDocument,
  ScenarioListQuery,
  ScenarioListResponse,
  RunScopeCount,
  ScenarioWriteResult,
} from '../../../schema/api/scenarios.ts';
import type { Diagnostic } from '../../../schema/diagnostic.ts';
import type { ScenarioStatus } from '../../../schema/scenario.ts';
import { api, readJson } from './client.ts';

// One function per scenario endpoint; each returns parsed JSON or throws ApiError.

type ListFilters = Omit<ScenarioListQuery, 'limit' | 'offset'> & { limit?: number; offset?: number };

export async function fetchScenarioList(filters: ListFilters, signal?: AbortSignal): Promise<ScenarioListResponse> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (v) query[k] = String(v);
  return readJson(await api.scenarios.$get({ query }, { init: { signal } }));
}

/** How many scenarios (and variants) a run with this filter would cover, counted by the server. */
export async function fetchRunScopeCount(
  filter: { scope: 'validated' | 'ready' | 'all'; category?: string; behavior?: string },
  signal?: AbortSignal,
): Promise<RunScopeCount> {
  const query: Record<string, string> = { scope: filter.scope };
  if (filter.category) query.category = filter.category;
  if (filter.behavior) query.behavior = filter.behavior;
  return readJson(await api.scenarios['run-scope'].$get({ query }, { init: { signal } }));
}

export async function fetchScenario(id: string, signal?: AbortSignal): Promise<ScenarioDocument> {
  return readJson(await api.scenarios[':id'].$get({ param: { id } }, { init: { signal } }));
}

export async function checkScenario(id: string, content: string, signal?: AbortSignal): Promise<Diagnostic[]> {
  const body = await readJson(await api.scenarios.check.$post({ json: { id, content } }, { init: { signal } }));
  return body.diagnostics;
}

export async function saveScenario(id: string, content: string, baseHash: string): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios[':id'].$put({ param: { id }, json: { content, baseHash } }));
}

/** The realism ratings a save of this text would make stale (what their raters saw changes), by study. */
export async function fetchStaleRatings(
  id: string,
  content: string,
): Promise<{ ratings: number; studies: { id: string; name: string; ratings: number }[] }> {
  return readJson(await api.scenarios[':id']['stale-ratings'].$post({ param: { id }, json: { content } }));
}

export async function createScenarioText(content: string): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios.$post({ json: { content } }));
}

export async function createScenarioFromTemplate(input: {
  id: string;
  category: string;
  behavior: string;
  title?: string;
}): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios['from-template'].$post({ json: input }));
}

export async function duplicateScenario(id: string, newId: string): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios[':id'].duplicate.$post({ param: { id }, json: { newId } }));
}

export async function renameScenario(id: string, newId: string, baseHash: string): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios[':id'].rename.$post({ param: { id }, json: { newId, baseHash } }));
}

export async function setScenarioStatus(
  id: string,
  status: ScenarioStatus,
  baseHash: string,
): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios[':id'].status.$post({ param: { id }, json: { status, baseHash } }));
}

export async function deleteScenario(id: string, baseHash: string): Promise<ScenarioWriteResult> {
  return readJson(await api.scenarios[':id'].$delete({ param: { id }, query: { baseHash } }));
}
