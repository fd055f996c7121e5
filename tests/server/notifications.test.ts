import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNotifications } from '../../server/db/notifications.ts';
import { createTestDatabase, testBackend, type TestDatabase } from '../support/test-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'crucible-notify-'));
let database: TestDatabase | null = null;
afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(testBackend === 'postgres')('live events between server processes (PostgreSQL LISTEN/NOTIFY)', () => {
  it("delivers one process's event to the others, and not back to itself", async () => {
    database = await createTestDatabase(dir);
    // Two openings of one database: what two server processes each hold.
    const [a, b] = await Promise.all([openNotifications(database.url), openNotifications(database.url)]);
    try {
      const atA: unknown[] = [];
      const atB: unknown[] = [];
      a.subscribe('crucible_test', (p) => atA.push(p));
      b.subscribe('crucible_test', (p) => atB.push(p));
      // LISTEN is sent on subscribe; publish until B hears (a NOTIFY before its LISTEN is not queued).
      await expect
        .poll(async () => {
          await a.publish('crucible_test', { scenario: 'x', seq: atB.length });
          return atB.length;
        })
        .toBeGreaterThan(0);
      expect(atB[0]).toEqual({ scenario: 'x', seq: 0 });
      expect(atA).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe.runIf(testBackend === 'postgres')('the notifications connection', () => {
  it('sends its LISTENs and NOTIFYs one at a time (pg deprecates overlapping queries on one client)', async () => {
    database ??= await createTestDatabase(dir);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const a = await openNotifications(database.url);
    const b = await openNotifications(database.url);
    try {
      const heard: unknown[] = [];
      // Three channels subscribed and published to at once, as the live-event relay does at start.
      for (const channel of ['crucible_one', 'crucible_two', 'crucible_three'])
        b.subscribe(channel, (p) => heard.push(p));
      await expect
        .poll(async () => {
          await Promise.all(['crucible_one', 'crucible_two', 'crucible_three'].map((c) => a.publish(c, c)));
          return new Set(heard).size;
        })
        .toBe(3);
    } finally {
      await a.close();
      await b.close();
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });
});
