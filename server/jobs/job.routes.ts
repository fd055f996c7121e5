import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { isFinishedJob, JobStatusSchema, type Job, type JobAccepted } from '../../schema/api/jobs.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { findJob, jobView, listJobs, type JobRow } from './job.repository.ts';
import type { JobRunner } from './job.runner.ts';

const IdParam = z.object({ id: z.string().uuid('not a job id') });

/** How often a progress stream reads its job (it may be running in another process). */
const STREAM_POLL_MS = 250;

/** The answer of an endpoint that started a long action: 202 with the queued job. */
export function acceptedJob(c: Context, job: Job) {
  return c.json({ jobId: job.id, job } satisfies JobAccepted, 202);
}

export function jobRoutes(db: Db, jobs: JobRunner) {
  return (
    new Hono<AuthEnv>()
      // GET /api/jobs?kind=&status=&limit=: recent jobs, newest first
      .get(
        '/',
        zValidator(
          'query',
          z.object({
            kind: z.string().max(80).optional(),
            status: JobStatusSchema.optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          validationHook('query'),
        ),
        async (c) => c.json({ jobs: (await listJobs(db, c.req.valid('query'))).map(jobView) }, 200),
      )
      // GET /api/jobs/:id
      .get('/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const row = await findJob(db, c.req.valid('param').id);
        if (!row) return apiError(c, 404, 'not_found', 'no such job');
        return c.json(jobView(row), 200);
      })
      // GET /api/jobs/:id/events: the job at once, then each change (`job` events), until it is over (`end`)
      .get('/:id/events', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const id = c.req.valid('param').id;
        const first = await findJob(db, id);
        if (!first) return apiError(c, 404, 'not_found', 'no such job');
        return streamSSE(c, async (stream) => {
          // Read from the database, not an in-process event: the job may run in another server process.
          let last = '';
          let quietSince = Date.now();
          for (let row: JobRow | undefined = first; row && !stream.aborted; row = await findJob(db, id)) {
            const seen = `${row.updated_at}|${row.status}|${row.cancel_requested}`;
            if (seen !== last) {
              last = seen;
              quietSince = Date.now();
              await stream.writeSSE({ event: 'job', data: JSON.stringify(jobView(row)) });
            } else if (Date.now() - quietSince > 15_000) {
              quietSince = Date.now();
              await stream.writeSSE({ event: 'ping', data: '' });
            }
            if (isFinishedJob(row.status)) {
              await stream.writeSSE({ event: 'end', data: '{}' });
              return;
            }
            await stream.sleep(STREAM_POLL_MS);
          }
        });
      })
      // POST /api/jobs/:id/cancel: a queued job is cancelled at once; a running one stops at its next check
      .post('/:id/cancel', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const job = await jobs.cancel(c.req.valid('param').id);
        if (!job) return apiError(c, 404, 'not_found', 'no such job');
        return c.json(job, 200);
      })
  );
}
