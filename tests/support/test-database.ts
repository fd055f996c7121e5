import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';

/**
 * The backend the integration suites run on: SQLite by default, PostgreSQL in the `postgres` vitest
 * project (CRUCIBLE_TEST_DB=postgres, with the cluster tests/setup/postgresql-global.ts started).
 */
export const testBackend: 'sqlite' | 'postgres' = process.env.CRUCIBLE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/**
 * `describe` for tests in an integration file that never reach the database backend (pure
 * functions, a command run on its own SQLite file): they run in the SQLite pass and are skipped in
 * the PostgreSQL pass, which would only repeat them. (A whole file of such tests is left out of
 * that pass in vite.config.ts instead.)
 */
export const describeBackendFree = testBackend === 'postgres' ? describe.skip : describe;

export interface TestDatabase {
  /** What CRUCIBLE_DB would say: the SQLite file, or the PostgreSQL database's URL. */
  url: string;
  /** Drops the PostgreSQL database (a SQLite file goes with its folder). */
  drop(): Promise<void>;
}

const TEMPLATE_DATABASE = 'crucible_template';
// CREATE DATABASE refuses while another session uses the template; two creates at once can see each other.
const OBJECT_IN_USE = '55006';

/**
 * A fresh database for one test server, kept in `dir`: a SQLite file there, or a PostgreSQL
 * database copied from the migrated template, its name written in `dir` so that a server restarted
 * on the same folder opens the same database.
 */
export async function createTestDatabase(dir: string): Promise<TestDatabase> {
  if (testBackend === 'sqlite') return { url: join(dir, 'data/crucible.sqlite'), drop: async () => {} };
  const adminUrl = inject('postgresAdminUrl');
  const nameFile = join(dir, 'postgres-database');
  let name = existsSync(nameFile) ? readFileSync(nameFile, 'utf8').trim() : null;
  if (name === null) {
    name = `t_${randomBytes(8).toString('hex')}`;
    await withAdmin(adminUrl, async (admin) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
          return;
        } catch (e) {
          if ((e as { code?: string }).code !== OBJECT_IN_USE || attempt > 50) throw e;
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
        }
      }
    });
    writeFileSync(nameFile, name);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbName = name;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${dbName} with (force)`));
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Everything a test server's database holds, as text, for tests that check a value was never
 * stored: the SQLite files (database, WAL) byte for byte, or every row of every PostgreSQL table.
 */
export async function storedTexts(dir: string, url: string): Promise<{ where: string; text: string }[]> {
  if (testBackend === 'sqlite') {
    const dataDir = join(dir, 'data');
    return readdirSync(dataDir).map((f) => ({
      where: join(dataDir, f),
      text: readFileSync(join(dataDir, f), 'latin1'),
    }));
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public'",
    );
    const out: { where: string; text: string }[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`select t::text as row from "${name}" t`);
      out.push({ where: `table ${name}`, text: rows.rows.map((r) => r.row).join('\n') });
    }
    return out;
  } finally {
    await client.end();
  }
}
