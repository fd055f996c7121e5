import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  CandidateListQuerySchema,
  RealismAgreementQuerySchema,
  RejectCandidateSchema,
  StartGenerationJobSchema,
} from '../../schema/api/generation.ts';
import type { GenerationJobSettings } from '../../schema/generation.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { createScenario } from '../scenarios/scenario.store.ts';
import { behavioursOf } from '../taxonomy/taxonomy.load.ts';
import { candidateDetail, candidateSummary, jobSummary } from './generation.views.ts';
import { decideCandidate, returnCandidateToReview, findCandidate, listCandidates } from './generation.repository.ts';
import { generateScenariosJob, GENERATE_SCENARIOS } from './generation.job.ts';
import { realismScreenAgreement } from './realism-agreement.ts';
import type { JobRunner } from '../jobs/job.runner.ts';
import type { JobServices } from '../jobs/job-kind.ts';
import { acceptedJob } from '../jobs/job.routes.ts';
import { findJob, jobView, listJobs } from '../jobs/job.repository.ts';

const IdParam = z.object({ id: z.string().uuid('not an id') });

/** Generation jobs and the review queue (mounted behind the studio's role check: authors and admins). */
export function generationRoutes(services: JobServices, jobs: JobRunner) {
  const { db, corpus } = services;
  return (
    new Hono<AuthEnv>()
      // POST /api/generation/jobs: queue a generation job (202 with the job; progress and cancel at /api/jobs/:id)
      .post('/jobs', zValidator('json', StartGenerationJobSchema, validationHook('json')), async (c) => {
        const settings = c.req.valid('json');
        const problem = settingsProblem(settings, services);
        if (problem) return apiError(c, 422, 'validation_failed', problem);
        return acceptedJob(c, await jobs.enqueue(generateScenariosJob, settings, c.var.user.id));
      })
      // GET /api/generation/jobs: the latest generation jobs, newest first, with what their candidates came to
      .get('/jobs', async (c) => {
        const rows = await listJobs(db, { kind: GENERATE_SCENARIOS, limit: 50 });
        return c.json({ jobs: await Promise.all(rows.map((r) => jobSummary(db, jobView(r)))) }, 200);
      })
      // GET /api/generation/jobs/:id: one generation job
      .get('/jobs/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const row = await findJob(db, c.req.valid('param').id);
        if (!row || row.kind !== GENERATE_SCENARIOS) return apiError(c, 404, 'not_found', 'no such generation job');
        return c.json(await jobSummary(db, jobView(row)), 200);
      })
      // GET /api/generation/candidates?status=&job=: the review queue (or any status), oldest job first
      .get('/candidates', zValidator('query', CandidateListQuerySchema, validationHook('query')), async (c) => {
        const { status, job } = c.req.valid('query');
        const rows = await listCandidates(db, { status, jobId: job, limit: 500 });
        return c.json({ candidates: rows.map(candidateSummary) }, 200);
      })
      // GET /api/generation/candidates/:id: a candidate, its screens, and the nearest existing scenario
      .get('/candidates/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const row = await findCandidate(db, c.req.valid('param').id);
        if (!row) return apiError(c, 404, 'not_found', 'no such candidate');
        return c.json(await candidateDetail(db, corpus, row), 200);
      })
      // POST /api/generation/candidates/:id/accept: write it to the corpus as a draft with its provenance
      .post('/candidates/:id/accept', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const row = await findCandidate(db, c.req.valid('param').id);
        if (!row) return apiError(c, 404, 'not_found', 'no such candidate');
        if (row.status !== 'review' || !row.yaml)
          return apiError(c, 409, 'conflict', `this candidate is ${row.status}, not in review`);
        if (!(await decideCandidate(db, row.id, { status: 'accepted', reason: null, by: c.var.user.id })))
          return apiError(c, 409, 'conflict', 'someone decided on this candidate a moment ago');
        const written = await createScenario(corpus, row.yaml);
        if (!written.ok) {
          // Nothing was written: the candidate goes back to the queue, with what stopped it.
          await returnCandidateToReview(db, row.id);
          return apiError(c, written.status, written.code, written.message, written.issues);
        }
        return c.json({ scenarioId: written.id, relPath: written.relPath }, 201);
      })
      // POST /api/generation/candidates/:id/reject: reject with a reason (kept; told to later jobs)
      .post(
        '/candidates/:id/reject',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', RejectCandidateSchema, validationHook('json')),
        async (c) => {
          const row = await findCandidate(db, c.req.valid('param').id);
          if (!row) return apiError(c, 404, 'not_found', 'no such candidate');
          const { reason } = c.req.valid('json');
          if (!(await decideCandidate(db, row.id, { status: 'rejected', reason, by: c.var.user.id })))
            return apiError(c, 409, 'conflict', `this candidate is ${row.status}, not in review`);
          return c.json(candidateSummary((await findCandidate(db, row.id))!), 200);
        },
      )
      // GET /api/generation/realism-agreement?study=: the realism screen against the study's human ratings
      .get('/realism-agreement', zValidator('query', RealismAgreementQuerySchema, validationHook('query')), async (c) =>
        c.json(await realismScreenAgreement(db, c.req.valid('query').study), 200),
      )
  );
}

/** What the schema cannot know: behaviours in the taxonomy, models configured and callable. */
function settingsProblem(settings: GenerationJobSettings, services: JobServices): string | null {
  const known = new Set(
    behavioursOf(services.corpus.taxonomy)
      .filter((b) => !b.retired)
      .map((b) => b.id),
  );
  const unknown = settings.behaviors.filter((b) => !known.has(b));
  if (unknown.length > 0) return `behaviors: not in the taxonomy: ${unknown.join(', ')}`;
  for (const field of ['generatorModel', 'dryRunModel', 'screenModel'] as const) {
    const id = settings[field];
    if (!id) continue;
    const r = services.models.resolve(id);
    if (!r.ok) return `${field}: ${r.message}`;
  }
  return null;
}
