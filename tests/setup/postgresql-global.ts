// vitest globalSetup of the PostgreSQL project: one throwaway cluster for the whole run, and a
// database migrated once to the latest schema that every test server's database is copied from.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { startPostgresqlCluster } from './postgresql.ts';

export const TEMPLATE_DATABASE = 'crucible_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's maintenance database URL (superuser): test servers create their databases through it. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresqlCluster();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DATABASE} template template0`);
  await admin.end();
  const db = openDatabase(cluster.urlOf(TEMPLATE_DATABASE));
  await migrateToLatest(db);
  await db.destroy();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
