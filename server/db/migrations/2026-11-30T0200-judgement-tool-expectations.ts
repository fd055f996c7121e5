import type { Kysely } from 'kysely';

// A verdict stores its scenario's tool expectations as they were scored before the judge: each
// outcome (met or missed, the calls that matched), the partial credit and the caps applied (JSON
// ToolExpectationReport). Null: the scenario stated none, or the verdict predates expectations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('judgement').addColumn('tool_expectations', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('judgement').dropColumn('tool_expectations').execute();
}
