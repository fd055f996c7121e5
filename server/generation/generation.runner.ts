import { EventEmitter, setMaxListeners } from 'node:events';
import { findGenerationJob, setGenerationJobStatus } from './generation.repository.ts';
import { runGenerationJob, type GenerationJobContext } from './generation.job.ts';

// Runs generation jobs in this server process: the small stand-in for server/jobs until the
// generation job is one of its kinds (runGenerationJob already takes a job kind's context).
// A job stopped by a shutdown stays `running` and is resumed by the next start.

export type GenerationProgress = { jobId: string; done: number; total: number; message: string | null };

export class GenerationRunner {
  readonly events = new EventEmitter<{ progress: [GenerationProgress]; end: [string] }>();
  private readonly held = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly services: GenerationJobContext['services'],
    private readonly log: (line: string) => void = () => {},
  ) {
    this.events.setMaxListeners(0);
  }

  isRunning(jobId: string): boolean {
    return this.held.has(jobId);
  }

  /** Starts (or resumes) a job in the background; a job already running here is left alone. */
  start(jobId: string): Promise<void> {
    const existing = this.held.get(jobId);
    if (existing) return existing.done;
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const done = this.work(jobId, controller).finally(() => {
      this.held.delete(jobId);
      this.events.emit('end', jobId);
    });
    this.held.set(jobId, { controller, done });
    return done;
  }

  /** Cancels a queued or running job: calls in flight abort, their candidates stay pending. */
  async cancel(jobId: string): Promise<void> {
    const h = this.held.get(jobId);
    if (h) {
      h.controller.abort('cancelled');
      await h.done;
    } else {
      const job = await findGenerationJob(this.services.db, jobId);
      if (job && (job.status === 'queued' || job.status === 'running'))
        await setGenerationJobStatus(this.services.db, jobId, 'cancelled');
    }
  }

  /** Jobs a stop or a crash left queued or running, started again. */
  async resumeInterrupted(): Promise<number> {
    const rows = await this.services.db
      .selectFrom('generation_job')
      .select('id')
      .where('status', 'in', ['queued', 'running'])
      .execute();
    for (const r of rows) void this.start(r.id);
    return rows.length;
  }

  /** Stops every job here without finishing it (a shutdown): the next start resumes them. */
  async stop(): Promise<void> {
    const held = [...this.held.values()];
    for (const h of held) h.controller.abort('shutdown');
    await Promise.all(held.map((h) => h.done));
  }

  private async work(jobId: string, controller: AbortController): Promise<void> {
    const { db } = this.services;
    await setGenerationJobStatus(db, jobId, 'running');
    try {
      await runGenerationJob({
        jobId,
        services: this.services,
        signal: controller.signal,
        progress: (done, total, message = null) => this.events.emit('progress', { jobId, done, total, message }),
      });
      await setGenerationJobStatus(db, jobId, 'completed');
    } catch (e) {
      const reason = controller.signal.aborted ? String(controller.signal.reason) : null;
      if (reason === 'shutdown') return;
      if (reason === 'cancelled') return setGenerationJobStatus(db, jobId, 'cancelled');
      const error = this.services.redact(e instanceof Error ? e.message : String(e));
      this.log(`generation job ${jobId} failed: ${error}`);
      await setGenerationJobStatus(db, jobId, 'failed', error);
    }
  }
}
