import { sql, type Kysely } from 'kysely';

// A dry-run's events move out of the one `dry_run.events` JSON column, which a running dry-run
// rewrote whole at every checkpoint (quadratic in long runs), into batches that are only ever
// appended: each checkpoint inserts the events since the last one, keyed by the index of its first
// event. Saved dry-runs keep their events as one batch starting at 0.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dry_run_event_batch')
    .addColumn('dry_run_id', 'text', (col) => col.notNull().references('dry_run.id').onDelete('cascade'))
    .addColumn('first_index', 'integer', (col) => col.notNull())
    .addColumn('events', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('dry_run_event_batch_pk', ['dry_run_id', 'first_index'])
    .execute();
  await sql`insert into dry_run_event_batch (dry_run_id, first_index, events)
            select id, 0, events from dry_run where events <> '[]'`.execute(db);
  await db.schema.alterTable('dry_run').dropColumn('events').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('dry_run')
    .addColumn('events', 'text', (col) => col.notNull().defaultTo('[]'))
    .execute();
  const batches = await db
    .selectFrom('dry_run_event_batch')
    .select(['dry_run_id', 'events'])
    .orderBy('dry_run_id')
    .orderBy('first_index')
    .execute();
  const byRun = new Map<string, unknown[]>();
  for (const b of batches) byRun.set(b.dry_run_id, [...(byRun.get(b.dry_run_id) ?? []), ...JSON.parse(b.events)]);
  for (const [id, events] of byRun)
    await db
      .updateTable('dry_run')
      .set({ events: JSON.stringify(events) })
      .where('id', '=', id)
      .execute();
  await db.schema.dropTable('dry_run_event_batch').execute();
}
