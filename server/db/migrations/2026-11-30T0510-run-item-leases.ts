import type { Kysely } from 'kysely';

// Run items are claimed with a lease (server/runs/item-claims.ts): a server process or a run worker
// marks the items it takes as running, with its own id and an expiry it renews while working. A
// holder that dies stops renewing, and its items are claimed again once the lease has expired.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('run_item').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('run_item').addColumn('lease_until', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('run_item').dropColumn('lease_until').execute();
  await db.schema.alterTable('run_item').dropColumn('lease_owner').execute();
}
