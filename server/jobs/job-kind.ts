/**
 * Background jobs: how to write one.
 *
 * A job is a long action (re-judge a run, the calibration re-judge, scenario generation) that must
 * not hold an HTTP request open. Its row in the `job` table has a kind, parameters (JSON),
 * a status (queued, running, done, failed, cancelled), progress (done of total, a message), the
 * result or the error, who started it and timestamps. A runner in every server process
 * (`services.jobs`, job.runner.ts) claims queued jobs with a lease it renews while working.
 *
 * 1. Define the kind, in your feature folder (e.g. server/generation/generate.job.ts):
 *
 *      export const generateScenariosJob = defineJobKind({
 *        kind: 'generate-scenarios',
 *        params: z.strictObject({ behavior: z.string(), count: z.number().int().min(1).max(50) }),
 *        async run(ctx) {                       // ctx: JobContext<the params' type>
 *          const made: string[] = ctx.checkpoint?.made ?? [];   // what a former attempt finished
 *          for (let i = made.length; i < ctx.params.count; i++) {
 *            ctx.signal.throwIfAborted();       // cancelled, or the server is stopping
 *            made.push(await generateOne(ctx.services, ctx.params, ctx.signal));
 *            await ctx.saveCheckpoint({ made });             // durable: a resume starts after it
 *            ctx.progress(made.length, ctx.params.count, `generated ${made.at(-1)}`);
 *          }
 *          return { made };                     // stored as the job's result (JSON)
 *        },
 *      });
 *
 * 2. List it in JOB_KINDS (server/jobs/job-kinds.ts): every server process can then run it.
 *
 * 3. Start it from a route and answer at once, 202 with the job (job.routes.ts: `acceptedJob`):
 *
 *      const job = await services.jobs.enqueue(generateScenariosJob, params, c.var.user.id);
 *      return acceptedJob(c, job);
 *
 *    The client shows progress with <JobProgress jobId=... /> (client/src/studio/jobs/), which
 *    follows GET /api/jobs/:id/events (SSE) and offers Cancel (POST /api/jobs/:id/cancel). The CLI
 *    runs one in its own process with `runJobInCli` (server/cli/job-command.ts), printing a
 *    progress line.
 *
 * Rules a kind must keep:
 * - Resumable: a crash or a restart runs `run` again from the start with the last saved
 *   `checkpoint` (or what the database already holds), so record what you finished and skip it.
 *   Work done after the last checkpoint may be done twice: make each step idempotent or cheap.
 * - Cancellable: pass `ctx.signal` to model calls and check it between steps. When it aborts, throw
 *   (or return): the runner records `cancelled` (or, on a shutdown, puts the job back in the queue).
 * - Portable: only portable Kysely (it runs on SQLite and PostgreSQL).
 */
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { Redactor } from '../models/redact.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';

/** What a job may use: the server's database, corpus, models and redactor. */
export interface JobServices {
  db: Db;
  corpus: ScenarioCorpus;
  models: ModelRegistry;
  redact: Redactor;
}

/** What `run` is given. */
export interface JobContext<P, C = unknown> {
  jobId: string;
  params: P;
  services: JobServices;
  /** Aborts on a cancel (reason 'cancelled'), a shutdown ('shutdown') or a lost lease ('lease lost'). */
  signal: AbortSignal;
  /** The last checkpoint saved by an earlier attempt of this job; null on its first run. */
  checkpoint: C | null;
  /** Saves what the job has finished so far (JSON), durably, with the current progress. */
  saveCheckpoint(state: C): Promise<void>;
  /** Reports progress: cheap to call often (written to the database a few times a second at most). */
  progress(done: number, total: number, message?: string | null): void;
}

/** One kind of job: its name, its parameters' schema, and the work. */
export interface JobKind<P = unknown, R = unknown, C = unknown> {
  kind: string;
  params: z.ZodType<P>;
  run(ctx: JobContext<P, C>): Promise<R>;
}

/** Declares a job kind (typed: `run` sees the parsed parameters). */
export function defineJobKind<P, R, C = unknown>(kind: JobKind<P, R, C>): JobKind<P, R, C> {
  return kind;
}
