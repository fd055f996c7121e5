import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database.ts';
import { FlushQueue, flushedTransaction } from '../../server/db/flushed-transaction.ts';
import { createUser } from '../../server/people/people.repository.ts';
import { nextAssignment, submitRating } from '../../server/studies/assignment.ts';
import { createStudy, findStudy, joinStudy } from '../../server/studies/study.repository.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { describeBackendFree, testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { plainStudySettings } from '../support/study-fixtures.ts';

// A rating is answered only once it would survive a power loss. On SQLite its transaction commits
// without flushing the write-ahead log and then waits for a flush on the thread pool, shared with
// the ratings committed meanwhile (server/db/flushed-transaction.ts). These tests hold the flush
// queue to its promise, and show a submit waits for a flush of the log that began after its commit.

const fileFlushes = vi.hoisted(() => ({
  log: [] as { path: string; done: boolean }[],
  pathOf: new Map<number, string>(),
}));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof real.openSync>) => {
    const fd = real.openSync(...args);
    fileFlushes.pathOf.set(fd, String(args[0]));
    return fd;
  };
  const fdatasync = (fd: number, callback: (err: NodeJS.ErrnoException | null) => void) => {
    const entry = { path: fileFlushes.pathOf.get(fd) ?? `fd ${fd}`, done: false };
    fileFlushes.log.push(entry);
    real.fdatasync(fd, (err) => {
      entry.done = true;
      callback(err);
    });
  };
  return { ...real, default: { ...real, openSync, fdatasync }, openSync, fdatasync };
});

/** A sync the test finishes by hand, counting how many were started. */
function handSync() {
  const started: (() => void)[] = [];
  const queue = new FlushQueue(() => new Promise<void>((resolve) => started.push(resolve)));
  return { queue, started };
}
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describeBackendFree('FlushQueue', () => {
  it('makes a caller who asks during a flush wait for the next one, which starts when that ends', async () => {
    const { queue, started } = handSync();
    const first = queue.flush();
    const second = queue.flush();
    expect(started).toHaveLength(1);
    started[0]!();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false); // its write may have come after the first flush began
    expect(started).toHaveLength(2);
    started[1]!();
    expect(await settled(second)).toBe(true);
  });

  it('gives everyone who asked during one flush a single shared next flush', async () => {
    const { queue, started } = handSync();
    void queue.flush();
    const waiting = Array.from({ length: 10 }, () => queue.flush());
    started[0]!();
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(2);
    started[1]!();
    await Promise.all(waiting);
    expect(started).toHaveLength(2);
  });

  it('commits with its own sync on a database without a write-ahead log (rollback journal), flushing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-flush-'));
    const db = openDatabase(join(dir, 'journal.sqlite'));
    try {
      await sql`pragma journal_mode = delete`.execute(db);
      await sql`create table t (x integer)`.execute(db);
      fileFlushes.log.length = 0;
      await flushedTransaction(db, (trx) => sql`insert into t values (1)`.execute(trx));
      expect(fileFlushes.log).toEqual([]);
      expect((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]!.n).toBe(1);
      expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]!.synchronous).toBe(2);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects the callers of a flush that failed, and starts afresh for the next', async () => {
    let fail = true;
    const queue = new FlushQueue(() => (fail ? Promise.reject(new Error('EIO')) : Promise.resolve()));
    await expect(queue.flush()).rejects.toThrow('EIO');
    fail = false;
    await expect(queue.flush()).resolves.toBeUndefined();
  });
});

describe('a rating submit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ files: { 'honesty/flush-a.yaml': validScenarioText('flush-a') } });
  });
  afterAll(() => server?.close());

  it('answers only after a flush of the database log (SQLite; none on PostgreSQL)', async () => {
    const studyId = await createStudy(server.db, plainStudySettings('Flush', 2), ['flush-a'], null);
    const rater = await createUser(server.db, { role: 'rater', kind: 'invite', name: 'F' });
    await joinStudy(server.db, studyId, rater.id);
    const study = (await findStudy(server.db, studyId))!;
    const task = await nextAssignment(server.db, study, rater);
    if (task.kind !== 'task') throw new Error(`no task: ${task.reason}`);
    fileFlushes.log.length = 0;
    const result = await submitRating(server.db, study, rater, {
      leaseId: task.leaseId,
      realism: 4,
      flags: [],
      comment: '',
    });
    expect(result).toMatchObject({ ok: true, duplicate: false });
    const logFlushes = fileFlushes.log.filter((f) => f.path === `${server.services.config.databasePath}-wal`);
    if (testBackend === 'postgres')
      expect(logFlushes).toEqual([]); // the PostgreSQL server flushes its own log
    else expect(logFlushes).toEqual([expect.objectContaining({ done: true })]);
  });
});
