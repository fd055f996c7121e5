import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Job } from '../../schema/api/jobs.ts';
import type { JobKind, JobServices } from './job-kind.ts';
import {
  claimJob,
  claimJobById,
  finishJob,
  findJob,
  insertJob,
  jobView,
  releaseJob,
  renewJobLease,
  requestJobCancel,
  saveJobProgress,
  type JobRow,
} from './job.repository.ts';

/** Why a running job's signal aborted. */
export type JobStopReason = 'cancelled' | 'shutdown' | 'lease lost';

export interface JobRunnerOptions {
  /** How long a claim lasts without renewal; renewed every third of it. Default 30 s. */
  leaseMs?: number;
  /** Jobs run at once by this process. Default 2. */
  concurrency?: number;
  /** How often the loop looks for queued jobs (an enqueue in this process wakes it at once). Default 1 s. */
  pollMs?: number;
  log?: (line: string) => void;
}

/**
 * Runs background jobs in this process (see job-kind.ts). `start()` begins a loop that claims
 * queued jobs (and jobs whose holder died: an expired lease) of the kinds it knows; `stop()` gives
 * the jobs it holds back to the queue, where the next start resumes them from their checkpoint.
 * Every write is guarded by the lease, so two processes never both run one job to its end.
 */
export class JobRunner {
  readonly owner = randomUUID();
  private readonly kinds: Map<string, JobKind<never, unknown, never>>;
  private readonly held = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly services: JobServices,
    kinds: readonly JobKind<never, unknown, never>[],
    private readonly opts: JobRunnerOptions = {},
  ) {
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.concurrency = opts.concurrency ?? 2;
    this.pollMs = opts.pollMs ?? 1000;
  }

  /** Queues a job of this kind (its parameters checked by the kind's schema: a bad value throws). */
  async enqueue<P>(kind: JobKind<P, unknown, never>, params: P, startedBy: string | null): Promise<Job> {
    const parsed = kind.params.parse(params);
    const row = await insertJob(this.services.db, kind.kind, parsed, startedBy);
    this.notify();
    return jobView(row);
  }

  /** Asks a job to stop (queued: cancelled at once; running here: its signal aborts now; elsewhere: at its holder's next renewal). */
  async cancel(id: string): Promise<Job | undefined> {
    const row = await requestJobCancel(this.services.db, id);
    this.held.get(id)?.controller.abort('cancelled' satisfies JobStopReason);
    return row && jobView(row);
  }

  /** The ids of the jobs running in this process now. */
  heldJobs(): string[] {
    return [...this.held.keys()];
  }

  /** Starts claiming and running queued jobs in the background. */
  start(): void {
    this.stopping = false;
    this.loop ??= this.claimLoop().catch((e: unknown) => this.opts.log?.(`jobs: the runner stopped: ${String(e)}`));
  }

  /**
   * Runs one job in this process to its end (the command line: it queued the job itself), if it can
   * be claimed; answers the job as it ended.
   */
  async runNow(id: string): Promise<Job | undefined> {
    if (await claimJobById(this.services.db, id, this.owner, this.leaseMs)) await this.execute(id);
    const row = await findJob(this.services.db, id);
    return row && jobView(row);
  }

  /** Stops the loop and gives every job held here back to the queue (for a restart or shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.loop;
    this.loop = null;
    const held = [...this.held.values()];
    for (const h of held) h.controller.abort('shutdown' satisfies JobStopReason);
    await Promise.all(held.map((h) => h.done));
  }

  private notify() {
    this.wake?.();
    this.wake = null;
  }

  private async claimLoop(): Promise<void> {
    while (!this.stopping) {
      while (this.held.size < this.concurrency && !this.stopping) {
        const row = await claimJob(this.services.db, this.owner, [...this.kinds.keys()], this.leaseMs);
        if (!row) break;
        void this.execute(row.id);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Runs a job this runner has just claimed, renewing its lease, and records how it ended. */
  private execute(id: string): Promise<void> {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const done = this.work(id, controller).finally(() => {
      this.held.delete(id);
      this.notify();
    });
    this.held.set(id, { controller, done });
    return done;
  }

  private async work(id: string, controller: AbortController): Promise<void> {
    const { db } = this.services;
    const row = (await findJob(db, id))!;
    const kind = this.kinds.get(row.kind);
    if (!kind) {
      await finishJob(db, id, this.owner, { status: 'failed', error: `no job kind "${row.kind}" in this server` });
      return;
    }
    if (row.cancel_requested === 1) {
      await finishJob(db, id, this.owner, { status: 'cancelled' });
      return;
    }
    const params = kind.params.safeParse(JSON.parse(row.params));
    if (!params.success) {
      const issue = params.error.issues[0]!;
      const error = `parameters: ${issue.path.join('.') || '(top level)'}: ${issue.message}`;
      await finishJob(db, id, this.owner, { status: 'failed', error });
      return;
    }
    const renewal = setInterval(() => void this.renew(id, controller), Math.max(50, this.leaseMs / 3));
    const progress = new ProgressWriter((p, checkpoint) => saveJobProgress(db, id, this.owner, p, checkpoint), {
      done: row.progress_done,
      total: row.progress_total,
      message: row.progress_message,
    });
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      const result = await kind.run({
        jobId: id,
        params: params.data as never,
        services: this.services,
        signal: controller.signal,
        checkpoint: (row.checkpoint === null ? null : JSON.parse(row.checkpoint)) as never,
        saveCheckpoint: (state) => progress.flush(state),
        progress: (done, total, message = null) => progress.set({ done, total, message }),
      });
      outcome = { ok: true, result };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(renewal);
    }
    await progress.flush();
    const reason = controller.signal.aborted ? (controller.signal.reason as JobStopReason) : null;
    if (reason === 'lease lost') return; // another runner holds it now: nothing here is ours to write
    if (reason === 'shutdown') return releaseJob(db, id, this.owner);
    if (reason === 'cancelled') {
      await finishJob(db, id, this.owner, { status: 'cancelled' });
      return;
    }
    if (outcome.ok) await finishJob(db, id, this.owner, { status: 'done', result: outcome.result });
    else {
      const error = this.services.redact(
        outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
      );
      this.opts.log?.(`job ${id} (${row.kind}) failed: ${error}`);
      await finishJob(db, id, this.owner, { status: 'failed', error });
    }
  }

  private async renew(id: string, controller: AbortController) {
    if (controller.signal.aborted) return;
    try {
      const { held, cancelRequested } = await renewJobLease(this.services.db, id, this.owner, this.leaseMs);
      if (!held) controller.abort('lease lost' satisfies JobStopReason);
      else if (cancelRequested) controller.abort('cancelled' satisfies JobStopReason);
    } catch (e) {
      this.opts.log?.(`job ${id}: the lease was not renewed: ${String(e)}`);
    }
  }
}

type Progress = { done: number; total: number; message: string | null };

/**
 * A job's progress, written at most every 250 ms (the last value is never dropped), and at once
 * with a checkpoint.
 */
class ProgressWriter {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (p: Progress, checkpoint?: unknown) => Promise<void>,
    private current: Progress,
  ) {}

  set(p: Progress) {
    this.current = p;
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => undefined);
    }, 250);
  }

  flush(checkpoint?: unknown): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty && checkpoint === undefined) return this.writing;
    this.dirty = false;
    const p = this.current;
    // Writes go out in order, so an older progress never lands after a newer one.
    this.writing = this.writing.catch(() => undefined).then(() => this.write(p, checkpoint));
    return this.writing;
  }
}

export type { JobRow };
