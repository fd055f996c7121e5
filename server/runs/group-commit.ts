import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';

type Write = (trx: Transaction<Database>) => Promise<void>;

/**
 * Commits many small writes together: each caller's write runs inside one shared transaction that
 * commits within `delayMs` (or at once, when the caller knows no other write is coming soon), and
 * its promise settles only after that commit. With synchronous=FULL every commit waits for the
 * disk, and better-sqlite3 waits on the event loop's thread; one commit per `delayMs` instead of
 * one per finished item keeps 64 concurrent items from queueing on the disk, while an item waits
 * at most that long for its commit.
 */
export class GroupCommitter {
  private pending: { write: Write; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The flushes so far, in order: awaiting flush() also awaits a batch already committing. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly delayMs = 50,
  ) {}

  /** Runs `write` in the next group commit (`now`: commits it and what is pending at once); settles once committed. */
  commit(opts: { now: boolean }, write: Write): Promise<void> {
    const committed = new Promise<void>((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (!opts.now) this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    });
    if (opts.now) void this.flush();
    return committed;
  }

  /** Commits what is pending now; settles once every write handed over so far is committed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing = this.flushing.then(() => this.commitPending());
    return this.flushing;
  }

  private async commitPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const w of batch) await w.write(trx);
      });
      for (const w of batch) w.resolve();
    } catch (e) {
      // One bad write must not sink the others: retry each alone.
      for (const w of batch) {
        await this.db
          .transaction()
          .execute((trx) => w.write(trx))
          .then(w.resolve, w.reject);
      }
    }
  }
}
