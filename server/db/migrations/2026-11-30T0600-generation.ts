import type { Kysely } from 'kysely';

// Generation jobs and their candidates (issue 18). The job itself (status, progress, lease) is a
// background job (table job, kind generate-scenarios; generation_job.id is its id); this keeps
// what generation adds: its tokens and cost. Each candidate keeps its proposal, every
// screen's outcome and, once a person decides, the decision and its reason (rejections are shown
// to later jobs' generators as what not to repeat).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('generation_job')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('settings', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision')
    .execute();
  await db.schema
    .createTable('generation_candidate')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('job_id', 'text', (col) => col.notNull().references('generation_job.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('behavior', 'text', (col) => col.notNull())
    .addColumn('variation', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('scenario_id', 'text')
    .addColumn('yaml', 'text')
    .addColumn('screens', 'text')
    .addColumn('reason', 'text')
    .addColumn('repaired', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('nearest_id', 'text')
    .addColumn('nearest_similarity', 'double precision')
    .addColumn('realism_score', 'integer')
    .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('generation_candidate_job_position', ['job_id', 'position'])
    .execute();
  await db.schema
    .createIndex('generation_candidate_status')
    .on('generation_candidate')
    .columns(['status', 'job_id'])
    .execute();
  await db.schema
    .createIndex('generation_candidate_scenario')
    .on('generation_candidate')
    .column('scenario_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('generation_candidate').execute();
  await db.schema.dropTable('generation_job').execute();
}
