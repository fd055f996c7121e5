import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextTaskResponse } from '../../schema/api/studies.ts';
import { flushedTransaction } from '../../server/db/flushed-transaction.ts';
import { reservationTransaction } from '../../server/db/reservation-transaction.ts';
import { testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRealismStudy, raterViaInvite } from './study-fixtures.ts';

// On SQLite a rater's lease commits without an fsync (server/db/reservation-transaction.ts); a
// rating commits without one too, but is answered only after a flush of the log that follows its
// commit (server/db/flushed-transaction.ts; tests/studies/rating-flush.test.ts shows that flush), so
// an acknowledged rating survives a power cut. Every other write still commits with a full sync: the
// connection must be back at synchronous=FULL after either kind. A trigger records the connection's synchronous level inside every lease and rating
// insert (it cannot change inside a transaction, so it is the level the commit runs at), while
// raters ask and submit at the same time, so their requests interleave on the one connection.

const FULL = 2;
const NORMAL = 1;
let server: TestServer;

beforeAll(async () => {
  if (testBackend !== 'sqlite') return;
  server = await startTestServer({ shippedCorpus: true });
  await sql`create table sync_at_commit (what text not null, level integer not null)`.execute(server.db);
  for (const table of ['lease', 'realism_rating'])
    await sql
      .raw(
        `create trigger ${table}_sync after insert on ${table} begin
           insert into sync_at_commit select '${table}', synchronous from pragma_synchronous;
         end`,
      )
      .execute(server.db);
});
afterAll(async () => {
  await server?.close();
});

const syncLevel = async () =>
  Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(server.db)).rows[0]!.synchronous);

describe.skipIf(testBackend !== 'sqlite')('durability of leases and ratings on SQLite', () => {
  it('commits ratings and leases without a sync of their own, and leaves the connection at full sync', async () => {
    const studyId = await createRealismStudy(server, { ratersPerItem: 3, filter: {} });
    const raters = await Promise.all(Array.from({ length: 6 }, (_, i) => raterViaInvite(server, studyId, `R${i}`)));
    let acknowledged = 0;
    await Promise.all(
      raters.map(async (rater) => {
        for (let round = 0; round < 4; round++) {
          const next = (await (await rater.fetch(`/api/rate/studies/${studyId}/next`)).json()) as NextTaskResponse;
          expect(next.kind).toBe('task');
          if (next.kind !== 'task') return;
          const res = await rater.fetch(`/api/rate/studies/${studyId}/ratings`, {
            method: 'POST',
            body: JSON.stringify({ leaseId: next.leaseId, realism: 4, comment: '' }),
          });
          expect(res.status).toBe(201);
          acknowledged++;
        }
      }),
    );
    const rows = await server.db
      .selectFrom('sync_at_commit' as never)
      .select(['what' as never, 'level' as never])
      .execute();
    const levels = (what: string) => (rows as { what: string; level: number }[]).filter((r) => r.what === what);
    expect(acknowledged).toBe(24);
    expect(levels('realism_rating')).toHaveLength(24);
    expect(levels('realism_rating').every((r) => Number(r.level) === NORMAL)).toBe(true);
    expect(levels('lease')).toHaveLength(24);
    expect(levels('lease').every((r) => Number(r.level) === NORMAL)).toBe(true);
    expect(await syncLevel()).toBe(FULL);
  });

  it('puts the connection back at full sync when a reservation fails', async () => {
    await expect(
      reservationTransaction(server.db, (conn) =>
        conn.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          throw new Error('the reservation failed');
        }),
      ),
    ).rejects.toThrow('the reservation failed');
    expect(await syncLevel()).toBe(FULL);
  });

  it('puts the connection back at full sync when a flushed transaction fails', async () => {
    await expect(
      flushedTransaction(server.db, async (trx) => {
        await sql`select 1`.execute(trx);
        throw new Error('the rating failed');
      }),
    ).rejects.toThrow('the rating failed');
    expect(await syncLevel()).toBe(FULL);
  });
});
