import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  SkipRequestSchema,
  SubmitRatingRequestSchema,
  type NextTaskResponse,
  type RaterStudy,
} from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { RATING_ROLES, requireRole, setSessionCookie, type AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { createSession, createUser, findUserByProlificPid } from '../people/people.repository.ts';
import type { UserRow } from '../people/people.table.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import { readScenario } from '../scenarios/scenario.store.ts';
import { nextAssignment, ratingsDoneBy, skipTask, submitRating } from './assignment.ts';
import { raterViewOf } from './rater-view.ts';
import { findStudy, isStudyRater, joinStudy, type StudyRow } from './study.repository.ts';

const IdParam = z.object({ id: z.string().regex(/^[a-z0-9-]{3,80}$/, 'not a study id') });
// Prolific ids are 24 hex characters; accept any short token of letters and digits.
const ProlificQuery = z.object({
  PROLIFIC_PID: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'PROLIFIC_PID must be letters and digits'),
  STUDY_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/)
    .optional(),
  SESSION_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/)
    .optional(),
});

const PROLIFIC_COMPLETE = 'https://app.prolific.com/submissions/complete?cc=';

export function rateRoutes(db: Db, corpus: ScenarioCorpus) {
  const rater = requireRole(db, RATING_ROLES);

  /** The study, if this person may rate in it: raters must have joined it; staff may try any. */
  const studyFor = async (id: string, user: UserRow): Promise<StudyRow | null> => {
    const study = await findStudy(db, id);
    if (!study) return null;
    if (user.role === 'rater' && !(await isStudyRater(db, id, user.id))) return null;
    return study;
  };
  const completionOf = (study: StudyRow, user: UserRow) =>
    user.kind === 'prolific'
      ? { code: study.completion_code, url: study.completion_url ?? `${PROLIFIC_COMPLETE}${study.completion_code}` }
      : null;

  return (
    new Hono<AuthEnv>()
      // GET /api/rate/prolific/:id?PROLIFIC_PID=&STUDY_ID=&SESSION_ID=: a crowd participant arrives
      .get(
        '/prolific/:id',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', ProlificQuery, validationHook('query')),
        async (c) => {
          const study = await findStudy(db, c.req.valid('param').id);
          if (!study || study.status !== 'open') return apiError(c, 404, 'not_found', 'this study is not open');
          const { PROLIFIC_PID } = c.req.valid('query');
          const user =
            (await findUserByProlificPid(db, PROLIFIC_PID)) ??
            (await createUser(db, {
              role: 'rater',
              kind: 'prolific',
              name: 'Prolific participant',
              prolificPid: PROLIFIC_PID,
            }));
          await joinStudy(db, study.id, user.id);
          const session = await createSession(db, user.id);
          setSessionCookie(c, session.token, session.expiresAt);
          return c.redirect(`/rate/${study.id}`, 302);
        },
      )
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
          const progress = { done: await ratingsDoneBy(db, study.id, user.id), batchSize: study.batch_size };
          if (assignment.kind === 'done') {
            const body: NextTaskResponse = {
              kind: 'done',
              reason: assignment.reason,
              progress,
              completion: completionOf(study, user),
            };
            return c.json(body, 200);
          }
          const loaded = await readScenario(corpus, assignment.scenarioId);
          const { scenario } = loaded
            ? checkScenarioText(loaded.content, { taxonomy: corpus.taxonomy })
            : { scenario: null };
          if (loaded && scenario && loaded.hash === assignment.contentHash) {
            const body: NextTaskResponse = {
              kind: 'task',
              leaseId: assignment.leaseId,
              expiresAt: assignment.expiresAt,
              scenario: raterViewOf(scenario),
              progress,
            };
            return c.json(body, 200);
          }
          // The file changed on disk after the index saw it: re-index and assign again.
          if (loaded) await corpus.reindexFile(loaded.ref.absPath);
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
          return c.json({ ratingId: result.ratingId, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
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
          if (!(await skipTask(db, study, c.var.user, c.req.valid('json').leaseId)))
            return apiError(c, 404, 'not_found', 'no such task for you');
          return c.json({ skipped: true }, 200);
        },
      )
  );
}
