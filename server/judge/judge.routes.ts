import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { CreateJudgeVersionRequestSchema, PromotionReasonSchema } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { findDryRunById } from '../dryrun/dryrun.repository.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { storedVariantScenario } from '../variants/scenario-variant.ts';
import { promoteGuarded, reasonRequired } from '../calibration/judge-promotion.ts';
import { judgeTranscript } from './judge.ts';
import { scoreToolExpectations } from './tool-expectations.ts';
import {
  createJudgeVersion,
  findDefaultJudge,
  findJudgeVersion,
  listJudgements,
  listJudgeVersions,
  saveJudgement,
} from './judge.repository.ts';

const IdParam = z.object({ id: z.string().uuid('not a judge version id') });
const PromoteRequest = z.strictObject({ reason: PromotionReasonSchema });
const JudgeRequest = z.strictObject({ transcriptId: z.string().uuid(), judgeVersionId: z.string().uuid().optional() });

export function judgeRoutes(db: Db, corpus: ScenarioCorpus, models: ModelRegistry, redact: (text: string) => string) {
  return (
    new Hono<AuthEnv>()
      // GET /api/judges: every version of every judge
      .get('/', async (c) => c.json({ versions: await listJudgeVersions(db) }, 200))
      // POST /api/judges: a new judge, or a new version of one (never an edit of an old version)
      .post('/', zValidator('json', CreateJudgeVersionRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        if (!models.list().some((m) => m.id === req.settings.model))
          return apiError(c, 422, 'validation_failed', `no model "${req.settings.model}" is configured`);
        if (req.parentId) {
          const parent = await findJudgeVersion(db, req.parentId);
          if (!parent || parent.name !== req.name)
            return apiError(c, 422, 'validation_failed', `parentId must be a version of judge "${req.name}"`);
        }
        const version = await createJudgeVersion(db, { ...req, createdBy: c.var.user.id });
        return c.json(version, 201);
      })
      // POST /api/judges/:id/promote: the default judge for new verdicts. Guarded as the calibration page's
      // promote is: compared with the current default on the held-out part of the study that compares them
      // best; when that does not clear the candidate (or no study compares them), only with a reason.
      .post(
        '/:id/promote',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', PromoteRequest, validationHook('json')),
        async (c) => {
          const candidate = await findJudgeVersion(db, c.req.valid('param').id);
          if (!candidate) return apiError(c, 404, 'not_found', 'no such judge version');
          const outcome = await promoteGuarded(db, {
            candidate,
            current: await findDefaultJudge(db),
            study: 'best',
            reason: c.req.valid('json').reason,
            by: c.var.user.id,
          });
          if (!outcome.promoted && outcome.reason === 'reason-required') return reasonRequired(c, outcome.guard);
          if (!outcome.promoted) return apiError(c, 404, 'not_found', 'no such judge version');
          return c.json({ promoted: candidate.id, guard: outcome.guard, studyId: outcome.studyId }, 200);
        },
      )
      // GET /api/judges/judgements?transcriptId=
      .get(
        '/judgements',
        zValidator('query', z.object({ transcriptId: z.string().uuid() }), validationHook('query')),
        async (c) => {
          return c.json({ judgements: await listJudgements(db, c.req.valid('query').transcriptId) }, 200);
        },
      )
      // GET /api/judges/expectations?transcriptId=: the tool expectations of a transcript, scored
      // without a judge (deterministic), for a run not judged yet; null when the scenario states none
      .get(
        '/expectations',
        zValidator('query', z.object({ transcriptId: z.string().uuid() }), validationHook('query')),
        async (c) => {
          const run = await findDryRunById(db, c.req.valid('query').transcriptId);
          if (!run) return apiError(c, 404, 'not_found', 'no such transcript');
          const scenario = storedVariantScenario(run.scenarioContent, corpus.taxonomy, run.variantValues);
          if (!scenario)
            return apiError(c, 422, 'validation_failed', "the transcript's scenario text no longer validates");
          return c.json({ report: scoreToolExpectations(scenario, run.events) }, 200);
        },
      )
      // POST /api/judges/judge: judge one transcript now (the dry-run panel's "Judge" button)
      .post('/judge', zValidator('json', JudgeRequest, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const judge = req.judgeVersionId ? await findJudgeVersion(db, req.judgeVersionId) : await findDefaultJudge(db);
        if (!judge)
          return apiError(
            c,
            404,
            'not_found',
            req.judgeVersionId ? 'no such judge version' : 'no judge yet: create one first',
          );
        const run = await findDryRunById(db, req.transcriptId);
        if (!run) return apiError(c, 404, 'not_found', 'no such transcript');
        const scenario = storedVariantScenario(run.scenarioContent, corpus.taxonomy, run.variantValues);
        if (!scenario)
          return apiError(
            c,
            422,
            'validation_failed',
            "the transcript's scenario text no longer validates; it cannot be judged",
          );
        const model = models.resolve(judge.settings.model);
        if (!model.ok) return apiError(c, 400, 'bad_request', model.message);
        const outcome = await judgeTranscript(model.model, judge.settings, scenario, run.events, c.req.raw.signal);
        if (outcome.status === 'error') outcome.error = redact(outcome.error);
        return c.json(await saveJudgement(db, run.id, judge.id, outcome), 200);
      })
  );
}
