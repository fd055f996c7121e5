import type { Kysely } from 'kysely';

// Variants of a scenario (issue 15 point 1): every transcript, run item, verdict, human verdict and
// realism rating records the scenario it is a variant of (`variant_of`, the file's id) and the
// values of its variables (`variant_values`, JSON {variable: value}); its `scenario_id` is then the
// variant's own id. Both are null for a scenario without variables, which is its own single variant
// under its plain id: every older row keeps its meaning.
const TABLES = ['dry_run', 'run_item', 'judgement', 'annotation', 'realism_rating'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).addColumn('variant_of', 'text').execute();
    await db.schema.alterTable(table).addColumn('variant_values', 'text').execute();
  }
  // Grouping a run's results by variable reads its items by parent scenario.
  await db.schema.createIndex('run_item_variant_of').on('run_item').columns(['run_id', 'variant_of']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('run_item_variant_of').execute();
  for (const table of TABLES) {
    await db.schema.alterTable(table).dropColumn('variant_values').execute();
    await db.schema.alterTable(table).dropColumn('variant_of').execute();
  }
}
