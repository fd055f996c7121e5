import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migrateTo, migrateToLatest, migrationNames } from '../../server/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// Migration 2026-12-02T1300 marks the vocabulary's words made only of the digits 0-9, which a
// search part with any other character then skips (issue 20 point 7). A word marked wrongly
// would be skipped by searches that should find it.

const MIGRATION = '2026-12-02T1300-scenario-search-vocab-digits';
let dir: string;
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crucible-vocab-digits-'));
  database = await createTestDatabase(dir);
  db = openDatabase(database.url);
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('marks the words already indexed that are made only of the digits 0-9, and no other', async () => {
    await migrateTo(db, migrationNames[migrationNames.indexOf(MIGRATION) - 1]!);
    // More words than one page of the back-fill (5,000), so every page is marked.
    const numbers = Array.from({ length: 6_000 }, (_, i) => String(i).padStart(5, '0'));
    const others = ['refund', 'v1', '1a', '٣٤', '１２', 'cafe\u0301'];
    const words = [...numbers, ...others];
    for (let i = 0; i < words.length; i += 500) {
      await db
        .insertInto('scenario_search_vocab')
        .values(words.slice(i, i + 500).map((word) => ({ word }) as never)) // the table before the migration
        .execute();
    }
    await migrateToLatest(db);
    const marked = await db.selectFrom('scenario_search_vocab').select(['word', 'digits_only']).execute();
    expect(marked).toHaveLength(words.length);
    const digitsOnly = new Set(marked.filter((m) => m.digits_only === 1).map((m) => m.word));
    expect(digitsOnly).toEqual(new Set(numbers));
  });
});
