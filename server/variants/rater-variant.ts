import { createHash } from 'node:crypto';
import type { Scenario } from '../../schema/scenario.ts';
import { expandScenario, variantsOf } from '../../schema/scenario-variables.ts';
import type { Db } from '../db/database.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { readScenario } from '../scenarios/scenario.store.ts';
import { variantColumns, type VariantColumns } from './scenario-variant.ts';

/**
 * The variant of a scenario a realism rater is shown under a lease (a rating's id is its lease's):
 * spread over the variants by a hash of the lease id, so raters between them cover every variant,
 * and stable for the lease, so a reload, and going back to the rating later, show the same one.
 * A scenario without variables is shown as it is.
 */
export function raterVariantOf(scenario: Scenario, leaseId: string): { scenario: Scenario; columns: VariantColumns } {
  const variants = variantsOf(scenario);
  const pick = parseInt(createHash('sha256').update(leaseId).digest('hex').slice(0, 8), 16) % variants.length;
  const variant = variants[pick]!;
  return {
    scenario: expandScenario(scenario, variant.values) as Scenario,
    columns: variantColumns(scenario.id, variant),
  };
}

/** Records on a new realism rating the variant its rater was shown (nothing for a scenario without variables). */
export async function recordRatedVariant(db: Db, corpus: ScenarioCorpus, ratingId: string): Promise<void> {
  const rating = await db
    .selectFrom('realism_rating')
    .select(['scenario_id', 'content_hash'])
    .where('id', '=', ratingId)
    .executeTakeFirst();
  if (!rating) return;
  const loaded = await readScenario(corpus, rating.scenario_id);
  if (!loaded || !/^variables\s*:/m.test(loaded.content)) return;
  const { scenario } = checkScenarioText(loaded.content, { taxonomy: corpus.taxonomy });
  if (!scenario) return;
  const { columns } = raterVariantOf(scenario, ratingId);
  await db
    .updateTable('realism_rating')
    .set({ variant_of: columns.variant_of, variant_values: columns.variant_values })
    .where('id', '=', ratingId)
    .execute();
}
