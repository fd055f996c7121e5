import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  PreviousRatingQuerySchema,
  ReviseRatingRequestSchema,
  SkipRequestSchema,
  SubmitRatingRequestSchema,
  type NextTaskResponse,
  type RaterStudy,
} from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { RATING_ROLES, requireRole, type AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import type { UserRow } from '../people/people.table.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { batchTotal, nextAssignment, ratingsDoneBy, skipTask, submitRating, type Assignment } from './assignment.ts';
import { previousRating, reviseRating, RevisionRace } from './rating-revision.ts';
import { raterViewOf } from './rater-view.ts';
import { ratedVersionHasVariables, readRaterScenario } from './rater-scenario.ts';
import { raterVariantOf, recordRatedVariant } from '../variants/rater-variant.ts';
import { findStudyForRater } from './rater-study.ts';
import { forgetStudyPool } from './study-pool.ts';
import { countItems, findStudyWithRater, skipsBy, type StudyRow } from './study.repository.ts';

const IdParam = z.object({ id: z.string().regex(/^[a-z0-9-]{3,80}$/, 'not a study id') });
const RatingParam = IdParam.extend({ ratingId: z.string().uuid('not a rating id') });

const PROLIFIC_COMPLETE = 'https://app.prolific.com/submissions/complete?cc=';

export function rateRoutes(db: Db, corpus: ScenarioCorpus) {
  const rater = requireRole(db, RATING_ROLES);

  /**
   * The study, if this person may rate in it: raters must have joined it; staff may try any. The
   * rating loop (next task, submit, skip) reads a row kept up to a second (rater-study.ts); changing
   * an earlier rating reads it `fresh`, as a closed study's ratings must not change.
   */
  const studyFor = async (id: string, user: UserRow, fresh = false): Promise<StudyRow | null> => {
    const found = await (fresh ? findStudyWithRater : findStudyForRater)(db, id, user.id);
    if (!found) return null;
    if (user.role === 'rater' && !found.joined) return null;
    return found.study;
  };
  // Crowd participants work in batches: the code only once the batch is rated (never for running
  // out of tasks or for skipping), and a bounded number of skips on the way.
  const isCrowd = (user: UserRow) => user.kind === 'prolific';
  const completionOf = (study: StudyRow, user: UserRow, done: Assignment & { kind: 'done' }) =>
    isCrowd(user) && done.reason === 'batch-complete'
      ? { code: study.completion_code, url: study.completion_url ?? `${PROLIFIC_COMPLETE}${study.completion_code}` }
      : null;
  const skipsLeftOf = async (study: StudyRow, user: UserRow) =>
    isCrowd(user) ? Math.max(0, study.max_skips - (await skipsBy(db, study.id, user.id))) : null;

  return (
    new Hono<AuthEnv>()
      // GET /api/rate/studies/:id: what the rater needs before the first task
      .get('/studies/:id', rater, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await studyFor(c.req.valid('param').id, c.var.user);
        if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
        const body: RaterStudy = {
          id: study.id,
          name: study.name,
          instructions: study.instructions,
          anchors: JSON.parse(study.anchors) as RaterStudy['anchors'],
          status: study.status,
          crowd: isCrowd(c.var.user) ? { ratingsRequired: study.batch_size, skipsAllowed: study.max_skips } : null,
        };
        return c.json(body, 200);
      })
      // GET /api/rate/studies/:id/next: the current task, or a new one, or done (with the completion code)
      .get('/studies/:id/next', rater, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const user = c.var.user;
        const study = await studyFor(c.req.valid('param').id, user);
        if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
        for (let attempt = 0; attempt < 3; attempt++) {
          const assignment = await nextAssignment(db, study, user);
          const counts = assignment.counts ?? {
            rated: await ratingsDoneBy(db, study.id, user.id),
            items: await countItems(db, study.id),
          };
          const progress = { done: counts.rated, batchSize: batchTotal(study, user, counts.items) };
          if (assignment.kind === 'done') {
            const body: NextTaskResponse = {
              kind: 'done',
              reason: assignment.reason,
              progress,
              completion: completionOf(study, user, assignment),
            };
            return c.json(body, 200);
          }
          const loaded = await readRaterScenario(corpus, assignment.scenarioId);
          const scenario = loaded?.scenario ?? null;
          // The leased version, or one whose rater view is the same (an edit the rater does not see).
          const sameView =
            loaded !== null &&
            (loaded.hash === assignment.contentHash ||
              (assignment.raterViewHash !== null && loaded.viewHash === assignment.raterViewHash));
          if (loaded && scenario && sameView) {
            const body: NextTaskResponse = {
              kind: 'task',
              leaseId: assignment.leaseId,
              expiresAt: assignment.expiresAt,
              // A scenario with variables is rated one variant at a time, expanded (issue 15).
              scenario: raterViewOf(raterVariantOf(scenario, assignment.leaseId).scenario),
              progress,
              skipsLeft: await skipsLeftOf(study, user),
            };
            return c.json(body, 200);
          }
          // The file changed on disk after the index saw it: re-index and assign again, from a fresh pool.
          if (loaded) await corpus.reindexFile(loaded.absPath);
          forgetStudyPool(db, study.id);
        }
        return apiError(c, 409, 'conflict', 'the scenarios are changing right now; try again in a moment');
      })
      // POST /api/rate/studies/:id/ratings
      .post(
        '/studies/:id/ratings',
        rater,
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', SubmitRatingRequestSchema, validationHook('json')),
        async (c) => {
          const study = await studyFor(c.req.valid('param').id, c.var.user);
          if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
          const result = await submitRating(db, study, c.var.user, c.req.valid('json'));
          if (!result.ok) return apiError(c, result.status, result.code, result.message);
          // Only a scenario with variables has a variant to record (most have none).
          if (
            result.contentHash !== null &&
            (await ratedVersionHasVariables(corpus, result.scenarioId, result.contentHash))
          )
            await recordRatedVariant(db, corpus, result.ratingId);
          return c.json({ ratingId: result.ratingId, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
        },
      )
      // GET /api/rate/studies/:id/ratings/previous?before=<ratingId>: one of the rater's own earlier ratings
      .get(
        '/studies/:id/ratings/previous',
        rater,
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', PreviousRatingQuerySchema, validationHook('query')),
        async (c) => {
          const study = await studyFor(c.req.valid('param').id, c.var.user);
          if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
          const previous = await previousRating(db, corpus, study, c.var.user, c.req.valid('query').before);
          if (!previous) return apiError(c, 404, 'not_found', 'no earlier rating of yours in this study');
          return c.json(previous, 200);
        },
      )
      // PUT /api/rate/studies/:id/ratings/:ratingId: change one's own rating (the old answer is kept)
      .put(
        '/studies/:id/ratings/:ratingId',
        rater,
        zValidator('param', RatingParam, validationHook('param')),
        zValidator('json', ReviseRatingRequestSchema, validationHook('json')),
        async (c) => {
          const { id, ratingId } = c.req.valid('param');
          const study = await studyFor(id, c.var.user, true);
          if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
          try {
            const result = await reviseRating(db, corpus, study, c.var.user, ratingId, c.req.valid('json'));
            if (!result.ok)
              return apiError(c, result.status, result.status === 404 ? 'not_found' : 'conflict', result.message);
            return c.json({ ratingId, changed: result.changed }, 200);
          } catch (e) {
            if (e instanceof RevisionRace) return apiError(c, 409, 'conflict', e.message);
            throw e;
          }
        },
      )
      // POST /api/rate/studies/:id/skip
      .post(
        '/studies/:id/skip',
        rater,
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', SkipRequestSchema, validationHook('json')),
        async (c) => {
          const study = await studyFor(c.req.valid('param').id, c.var.user);
          if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
          const maxSkips = isCrowd(c.var.user) ? study.max_skips : null;
          const skipped = await skipTask(db, study, c.var.user, c.req.valid('json').leaseId, maxSkips);
          if (skipped === 'no-such-task') return apiError(c, 404, 'not_found', 'no such task for you');
          if (skipped === 'no-skips-left')
            return apiError(
              c,
              403,
              'forbidden',
              `this study allows ${maxSkips} skip${maxSkips === 1 ? '' : 's'} and you have used them; rate this scenario to go on`,
            );
          return c.json({ skipped: true }, 200);
        },
      )
  );
}
