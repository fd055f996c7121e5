import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { DryRunGroupCommit } from '../../server/dryrun/dryrun.group-commit.ts';
import { appendDryRunEventJson, findDryRunById, insertDryRun } from '../../server/dryrun/dryrun.repository.ts';

// The group commit of running dry-runs, on a real SQLite file.

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crucible-group-commit-'));
  db = openDatabase(join(dir, 'db.sqlite'));
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (id: string) => ({
  id,
  scenarioId: 'a-scenario',
  contentHash: 'h',
  scenarioContent: 'id: a-scenario',
  model: 'gpt-fake',
  params: {},
});

describe('DryRunGroupCommit', () => {
  it('commits the writes of many dry-runs queued in one turn in one transaction (one disk flush)', async () => {
    const commits = new DryRunGroupCommit(db);
    const transactions = vi.spyOn(db, 'transaction');
    const ids = Array.from({ length: 20 }, (_, i) => idOf(100 + i));
    await Promise.all(
      ids.map((id) =>
        commits.write(async (trx) => {
          await insertDryRun(trx, row(id));
          await appendDryRunEventJson(trx, id, 0, [JSON.stringify({ type: 'system', content: id })]);
        }),
      ),
    );
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
    for (const id of ids) expect((await findDryRunById(db, id))!.events).toEqual([{ type: 'system', content: id }]);
  });

  it('fails only the write that fails: the others of its group are committed', async () => {
    const commits = new DryRunGroupCommit(db);
    const [a, b] = [idOf(201), idOf(202)];
    const results = await Promise.allSettled([
      commits.write((trx) => insertDryRun(trx, row(a))),
      // Events of a dry-run that has no row: the foreign key refuses them.
      commits.write((trx) => appendDryRunEventJson(trx, idOf(999), 0, ['{"type":"system","content":"x"}'])),
      commits.write((trx) => insertDryRun(trx, row(b))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await findDryRunById(db, a)).not.toBeNull();
    expect(await findDryRunById(db, b)).not.toBeNull();
    expect(
      await db.selectFrom('dry_run_event_batch').where('dry_run_id', '=', idOf(999)).selectAll().execute(),
    ).toEqual([]);
  });

  it('writes queued while a group commits form the next group, in the order queued', async () => {
    const commits = new DryRunGroupCommit(db);
    const id = idOf(301);
    const order: string[] = [];
    const first = commits.write(async (trx) => {
      await insertDryRun(trx, row(id));
      order.push('row');
      // Queued during this group's commit: must wait for the next one, after this row exists.
      void commits.write(async (t) => {
        await appendDryRunEventJson(t, id, 0, ['{"type":"system","content":"late"}']);
        order.push('events');
      });
    });
    await first;
    await expect.poll(async () => (await findDryRunById(db, id))?.events.length).toBe(1);
    expect(order).toEqual(['row', 'events']);
  });
});
