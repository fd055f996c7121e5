import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';

/** One write of a running dry-run (its row, a batch of events, its close), run inside a group's transaction. */
export type DryRunWrite = (trx: Transaction<Database>) => Promise<void>;

/**
 * Group commit for the writes of running dry-runs. SQLite runs synchronous=FULL, so every commit
 * waits for the disk (about 4.5 ms here) and, better-sqlite3 being synchronous, holds the whole
 * process meanwhile: fifty dry-runs committing each step alone spent most of their wall time there.
 * Writes queued within one turn of the event loop share one transaction, so one commit (one fsync)
 * makes all of them durable; a write's promise resolves only once that commit has returned.
 *
 * The commit runs after the current turn (setImmediate), which also lets the step that follows a
 * checkpoint send its request to the provider first: the disk wait then overlaps the provider's
 * time to first token instead of adding to it.
 */
export class DryRunGroupCommit {
  private queued: { write: DryRunWrite; done: () => void; failed: (e: unknown) => void }[] = [];
  private scheduled = false;
  private committing = false;

  constructor(private readonly db: Db) {}

  /** Runs `write` in the next group's transaction; resolves when it is committed. */
  write(write: DryRunWrite): Promise<void> {
    return new Promise((done, failed) => {
      this.queued.push({ write, done, failed });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.committing) return;
    this.scheduled = true;
    setImmediate(() => void this.commit());
  }

  private async commit(): Promise<void> {
    this.scheduled = false;
    this.committing = true;
    const group = this.queued.splice(0);
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const w of group) await w.write(trx);
      });
      for (const w of group) w.done();
    } catch {
      // One bad write must not fail the others' steps: each alone, so only it fails.
      for (const w of group) {
        try {
          await this.db.transaction().execute(w.write);
          w.done();
        } catch (e) {
          w.failed(e);
        }
      }
    } finally {
      this.committing = false;
      // Writes queued while this group committed (PostgreSQL commits without holding the process) form the next.
      if (this.queued.length > 0) this.schedule();
    }
  }
}
