import type { Db } from '../db/database.ts';
import type { RunExecutor } from './run.executor.ts';

/**
 * `npm run crucible -- worker`: works on every run that is running (started by a server), claiming
 * its items in small batches with leases (run-item.repository.ts), within the worker's own limits
 * (its executor's, role 'worker'). Looks for runs every `pollMs` (250 ms: a cheap read, and a run
 * waits for its workers no longer than that). Stopping it gives the items it
 * holds back to the queue.
 */
export class RunWorker {
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly executor: RunExecutor,
    private readonly opts: { pollMs?: number; log?: (line: string) => void } = {},
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.executor.stopAll();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const running = await this.db.selectFrom('run').select('id').where('status', '=', 'running').execute();
        for (const { id } of running) {
          if (this.stopped || this.executor.isRunning(id)) continue;
          this.opts.log?.(`worker: working on run ${id}`);
          const handle = await this.executor.start(id);
          void handle.done.then(() => this.opts.log?.(`worker: no more items of run ${id} here`));
        }
      } catch (e) {
        this.opts.log?.(`worker: could not look for runs: ${String(e)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.pollMs ?? 250);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
