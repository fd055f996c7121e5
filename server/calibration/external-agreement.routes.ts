import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { findAnnotationStudy } from '../annotation/annotation.store.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { findJudgeVersion } from '../judge/judge.repository.ts';
import { EXTERNAL_PASS_THRESHOLD, externalAgreement, externalScorers } from './external-agreement.ts';

const Query = z.object({ studyId: z.string().regex(/^an-[a-z0-9-]{3,80}$/) });

export function externalAgreementRoutes(db: Db) {
  return (
    new Hono<AuthEnv>()
      // GET /api/calibration/external/scorers: the external scorers with scores on the alignment scale, and how many
      // transcripts each scored (what an annotation study can be stratified by)
      .get('/scorers', async (c) => {
        return c.json({ scorers: await externalScorers(db) }, 200);
      })
      // GET /api/calibration/external?studyId=: each external scorer (Bloom's, Petri's, an Inspect scorer) as one
      // more judge: against the study's annotators, against its Crucible judge, and that judge on the same transcripts
      .get('/', zValidator('query', Query, validationHook('query')), async (c) => {
        const study = await findAnnotationStudy(db, c.req.valid('query').studyId);
        if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
        const judge = await findJudgeVersion(db, study.judge_version_id);
        const judgeThreshold = judge?.settings.passThreshold ?? 4;
        const scorers = await externalAgreement(db, study, judgeThreshold);
        return c.json(
          {
            studyId: study.id,
            judgeVersionId: study.judge_version_id,
            judgeThreshold,
            externalPassThreshold: EXTERNAL_PASS_THRESHOLD,
            scorers,
          },
          200,
        );
      })
  );
}
