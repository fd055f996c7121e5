import type { Db } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import type { RunExecutor } from './run.executor.ts';
import { runningRunIds } from './run.repository.ts';

/**
 * `npm run crucible -- worker`: works on every run that is running (started by a server), claiming
 * its items in small batches with leases (run-item.repository.ts), within the worker's own limits
 * (its executor's, role 'worker'). Looks for runs at once when told one started (`startedRuns`: on
 * PostgreSQL a server's start reaches every process by NOTIFY, live-events.ts), and otherwise every
 * `pollMs`: 250 ms on PostgreSQL (the NOTIFY's safety net), 50 ms on SQLite, where nothing crosses
 * processes and the look is all a run's start has: a run waited up to 250 ms (1.8% of the workers
 * bench's 14 s) for its workers, and a look costs about 0.04 ms of CPU (20 a second: under 0.1% of
 * a core). Stopping it gives the items it holds back to the queue.
 */
export class RunWorker {
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly executor: RunExecutor,
    private readonly opts: {
      pollMs?: number;
      log?: (line: string) => void;
      /** Where a run's start is announced ('started', with its id). */
      startedRuns?: Pick<RunExecutor['events'], 'on' | 'off'>;
    } = {},
  ) {}

  private readonly onStarted = () => {
    this.looked = false;
    this.wake?.();
  };
  /** Whether the last look is still current: a start announced during a look asks for another. */
  private looked = false;

  start(): void {
    this.opts.startedRuns?.on('started', this.onStarted);
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.opts.startedRuns?.off('started', this.onStarted);
    this.wake?.();
    await this.loop;
    await this.executor.stopAll();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.looked = true;
      try {
        for (const id of await runningRunIds(this.db)) {
          if (this.stopped || this.executor.isRunning(id)) continue;
          this.opts.log?.(`worker: working on run ${id}`);
          const handle = await this.executor.start(id);
          void handle.done.then(() => this.opts.log?.(`worker: no more items of run ${id} here`));
        }
      } catch (e) {
        this.opts.log?.(`worker: could not look for runs: ${String(e)}`);
      }
      if (!this.looked) continue; // a start was announced while this look ran
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.pollMs ?? (isPostgres(this.db) ? 250 : 50));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
