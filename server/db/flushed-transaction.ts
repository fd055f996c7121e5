import { closeSync, fdatasync, openSync } from 'node:fs';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from './dialect.ts';

// What a person was told is saved must survive a power loss. On SQLite that was each commit's own
// fsync of the write-ahead log (synchronous=FULL, database.ts), which holds the one thread that
// serves every request for the length of a disk flush (about 2 ms here, 16 ms at the 99th
// percentile on a loaded machine) once per rating, and costs CPU on every wake-up. Here the
// transaction commits with the log written but not flushed (synchronous=NORMAL for it alone), and
// the log is then flushed by fdatasync on libuv's thread pool while the server goes on serving; the
// caller answers only once that flush is done. Commits made while a flush runs share the next one
// (a group commit). The log is one file written in order, so a flush that starts after a commit
// makes it durable; a process crash cannot lose it either way (the write is in the OS already).
// PostgreSQL: a plain transaction (its server flushes its log before the commit returns).

/** Flushes of one file, coalesced: every caller waits for a flush that started after it asked. */
export class FlushQueue {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly sync: () => Promise<void>) {}

  /** Resolves once a flush that started after this call has finished (rejects if it failed). */
  flush(): Promise<void> {
    if (!this.running) return this.start();
    // The running flush may have started before the caller's write: wait for the next one.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = null;
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.sync().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}

const queues = new WeakMap<object, Promise<FlushQueue | null>>();
/** The log's descriptor is held as long as its database object lives (one per database). */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * The flush queue of a SQLite database's write-ahead log; null when it has none (in memory, or on a
 * file system that refused WAL mode and keeps a rollback journal): its transactions then commit
 * with their own sync.
 */
function logQueueOf<DB>(db: Kysely<DB>): Promise<FlushQueue | null> {
  let queue = queues.get(db);
  if (!queue) {
    queue = (async () => {
      const mode = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows[0]?.journal_mode;
      const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
      const file = rows.find((r) => r.name === 'main')?.file;
      if (mode !== 'wal' || !file) return null;
      // Opened once: SQLite keeps the log file (it never deletes or replaces it while a connection
      // is open; a checkpoint rewrites it in place), so this descriptor stays the log's.
      let fd: number | null = null;
      return new FlushQueue(() => {
        if (fd === null) {
          fd = openSync(`${file}-wal`, 'r');
          closeWhenCollected.register(db, fd);
        }
        return datasync(fd);
      });
    })();
    queues.set(db, queue);
  }
  return queue;
}

/** fdatasync on libuv's thread pool. */
function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Runs `fn` in a transaction and returns once its writes would survive a power loss: on SQLite it
 * commits without a flush and then waits for a (shared) flush of the log, without holding the
 * server's thread; the connection is back at synchronous=FULL before any other query can use it.
 */
export async function flushedTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return db.transaction().execute(fn);
  const queue = await logQueueOf(db);
  if (!queue) return db.transaction().execute(fn);
  const result = await db.connection().execute(async (conn) => {
    // SQLite refuses to change it inside a transaction, hence around it.
    await sql`pragma synchronous = normal`.execute(conn);
    try {
      return await conn.transaction().execute(fn);
    } finally {
      await sql`pragma synchronous = full`.execute(conn);
    }
  });
  await queue.flush();
  return result;
}
