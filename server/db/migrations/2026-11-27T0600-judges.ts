import type { Kysely } from 'kysely';

// Judge versions (immutable settings, who/when/why, lineage) and their verdicts on transcripts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('judge_version')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('settings', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('is_default', 'integer', (col) => col.notNull().defaultTo(0))
    .addUniqueConstraint('judge_version_name_version', ['name', 'version'])
    .execute();
  await db.schema
    .createTable('judgement')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('transcript_id', 'text', (col) => col.notNull())
    .addColumn('judge_version_id', 'text', (col) => col.notNull().references('judge_version.id'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('scale', 'text', (col) => col.notNull())
    .addColumn('score', 'integer')
    .addColumn('judge_score', 'double precision')
    .addColumn('passed', 'integer')
    .addColumn('red_flagged', 'integer', (col) => col.notNull())
    .addColumn('pass_met', 'text', (col) => col.notNull())
    .addColumn('fail_met', 'text', (col) => col.notNull())
    .addColumn('evidence', 'text', (col) => col.notNull())
    .addColumn('rationale', 'text')
    .addColumn('samples', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('judgement_once', ['transcript_id', 'judge_version_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('judgement').execute();
  await db.schema.dropTable('judge_version').execute();
}
