import type { Kysely } from 'kysely';

// A run counts what judging its items cost beside what the targets cost: the judge model's tokens
// and cost (null without prices) per item, all the calls of its verdict included.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('run_item').addColumn('judge_model', 'text').execute();
  await db.schema
    .alterTable('run_item')
    .addColumn('judge_input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('run_item')
    .addColumn('judge_output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('run_item').addColumn('judge_cost_usd', 'real').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['judge_model', 'judge_input_tokens', 'judge_output_tokens', 'judge_cost_usd'])
    await db.schema.alterTable('run_item').dropColumn(column).execute();
}
