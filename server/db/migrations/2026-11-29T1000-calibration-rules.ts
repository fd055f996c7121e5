import type { Kysely } from 'kysely';

// Calibration rules belong to the annotation study: the humans' pass threshold (on the study's
// alignment scale, never the judge's), how annotators' scores become one verdict, and the seeded
// split between transcripts a few-shot candidate may learn from and those it is scored on.
// Existing studies get the defaults (pass >= 4, majority, seed 1, half and half).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('annotation_study')
    .addColumn('human_pass_threshold', 'integer', (col) => col.notNull().defaultTo(4))
    .execute();
  await db.schema
    .alterTable('annotation_study')
    .addColumn('consensus', 'text', (col) => col.notNull().defaultTo('majority'))
    .execute();
  await db.schema
    .alterTable('annotation_study')
    .addColumn('split_seed', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('annotation_study')
    .addColumn('learn_share', 'real', (col) => col.notNull().defaultTo(0.5))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['learn_share', 'split_seed', 'consensus', 'human_pass_threshold'])
    await db.schema.alterTable('annotation_study').dropColumn(column).execute();
}
