import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { ItemAnalysisQuerySchema } from '../../schema/api/analysis.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { findDefaultJudge, findJudgeVersion } from '../judge/judge.repository.ts';
import { itemAnalysis } from './item-analysis.repository.ts';

/** Benchmark analysis across runs (mounted behind the studio's role check). */
export function analysisRoutes(db: Db) {
  return (
    new Hono<AuthEnv>()
      // GET /api/analysis/items?judge=: item analysis of every scenario run under the judge version
      .get('/items', zValidator('query', ItemAnalysisQuerySchema, validationHook('query')), async (c) => {
        const { judge: judgeId } = c.req.valid('query');
        const judge = judgeId ? await findJudgeVersion(db, judgeId) : await findDefaultJudge(db);
        if (judgeId && !judge) return apiError(c, 404, 'not_found', `no judge version ${judgeId}`);
        return c.json(await itemAnalysis(db, judge), 200);
      })
  );
}
