import type { ScenarioListQuery, ScenarioSummary } from '../../schema/api/scenarios.ts';
import type { Db } from '../db/database.ts';
import { listScenarios } from './scenario.repository.ts';

/** Scenarios listed per query. */
const PAGE = 5000;

/**
 * Every scenario the filter selects, however many: listed page by page, where one list query
 * returns at most 20,000 (runs and studies once took the first 20,000 and dropped the rest unsaid).
 */
export async function listEveryScenario(
  db: Db,
  filter: Omit<ScenarioListQuery, 'limit' | 'offset'>,
  pageSize = PAGE,
): Promise<ScenarioSummary[]> {
  const all: ScenarioSummary[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await listScenarios(db, { ...filter, limit: pageSize, offset });
    all.push(...page.items);
    if (page.items.length < pageSize || all.length >= page.total) return all;
  }
}
