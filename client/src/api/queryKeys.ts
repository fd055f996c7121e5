import type { ScenarioListQuery } from '../../../schema/api/scenarios.ts';

/** Every query key the studio uses, in one place, so invalidation matches what was cached. */
export const queryKeys = {
  scenarioLists: ['scenarios', 'list'] as const,
  scenarioList: (filters: Omit<ScenarioListQuery, 'limit' | 'offset'>) => ['scenarios', 'list', filters] as const,
  scenario: (id: string) => ['scenarios', 'document', id] as const,
  taxonomy: ['taxonomy'] as const,
  scenarioJsonSchema: ['taxonomy', 'scenario-schema'] as const,
};
