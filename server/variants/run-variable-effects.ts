import type { Db } from '../db/database.ts';
import type { ScoredItem } from '../runs/leaderboard.ts';
import { variableEffects, type VariableEffect, type VariantScore } from '../stats/variable-effects.ts';
import { loadYamlFast } from '../yaml/yaml-limits.ts';
import { valueNamesOf } from '../../schema/scenario-variables.ts';
import { storedVariantValues } from './scenario-variant.ts';

/**
 * A run's scores grouped by scenario variable (empty when no item was a variant). Each variable's
 * values come in the order its scenarios declare them (read from the scenario text the run
 * stored, once per scenario), so the first declared is the reference of the differences.
 */
export async function runVariableEffects(
  db: Db,
  runId: string,
  items: readonly ScoredItem[],
): Promise<VariableEffect[]> {
  const scores: VariantScore[] = [];
  for (const it of items) {
    const values = storedVariantValues(it.variantValues);
    if (!it.variantOf || !values) continue;
    scores.push({ model: it.model, variantId: it.scenarioId, parent: it.variantOf, values, score: it.score });
  }
  if (scores.length === 0) return [];
  const texts = await db
    .selectFrom('run_item')
    .select((eb) => ['variant_of', eb.fn.min('scenario_content').as('content')])
    .where('run_id', '=', runId)
    .where('variant_of', 'is not', null)
    .groupBy('variant_of')
    .execute();
  const order: Record<string, string[]> = {};
  for (const t of texts) {
    const doc = loadYamlFast(String(t.content));
    const variables = doc && typeof doc === 'object' ? (doc as { variables?: unknown }).variables : undefined;
    if (!variables || typeof variables !== 'object') continue;
    for (const [name, variable] of Object.entries(variables))
      for (const v of valueNamesOf(variable)) if (!(order[name] ??= []).includes(v)) order[name].push(v);
  }
  return variableEffects(scores, order);
}
