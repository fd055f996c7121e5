import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { AnchorSubsetQuerySchema, ItemAnalysisQuerySchema, type BenchmarkHealth } from '../../schema/api/analysis.ts';
import { anchorSubsetReport } from './anchor-subset.repository.ts';
import { quickRunEstimates } from './quick-run-estimates.ts';
import { findRun, settingsOf } from '../runs/run.repository.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { findDefaultJudge, findJudgeVersion } from '../judge/judge.repository.ts';
import { itemAnalysis } from './item-analysis.repository.ts';
import { benchmarkHealth, MIN_SCENARIOS_PER_BEHAVIOUR } from './benchmark-health.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { validatedScenarioIds } from '../studies/validated.ts';
import { behavioursOf } from '../taxonomy/taxonomy.load.ts';
import { listLiveScenarioBehaviours } from '../scenarios/scenario.repository.ts';

/** Benchmark analysis across runs (mounted behind the studio's role check). */
export function analysisRoutes(db: Db, corpus: ScenarioCorpus) {
  return (
    new Hono<AuthEnv>()
      // GET /api/analysis/items?judge=: item analysis of every scenario run under the judge version
      .get('/items', zValidator('query', ItemAnalysisQuerySchema, validationHook('query')), async (c) => {
        const { judge: judgeId } = c.req.valid('query');
        const judge = judgeId ? await findJudgeVersion(db, judgeId) : await findDefaultJudge(db);
        if (judgeId && !judge) return apiError(c, 404, 'not_found', `no judge version ${judgeId}`);
        return c.json(await itemAnalysis(db, judge), 200);
      })
      // GET /api/analysis/health?judge=: coverage, ceiling/floor and discrimination per behaviour, and where to write next
      .get('/health', zValidator('query', ItemAnalysisQuerySchema, validationHook('query')), async (c) => {
        const { judge: judgeId } = c.req.valid('query');
        const judge = judgeId ? await findJudgeVersion(db, judgeId) : await findDefaultJudge(db);
        if (judgeId && !judge) return apiError(c, 404, 'not_found', `no judge version ${judgeId}`);
        const [analysis, scenarios, validated] = await Promise.all([
          itemAnalysis(db, judge),
          listLiveScenarioBehaviours(db),
          validatedScenarioIds(db),
        ]);
        const behaviours = behavioursOf(corpus.taxonomy).filter((b) => !b.retired);
        const health: BenchmarkHealth = {
          judge: analysis.judge,
          minScenariosPerBehaviour: MIN_SCENARIOS_PER_BEHAVIOUR,
          behaviours: benchmarkHealth({ behaviours, scenarios, validated, items: analysis.items }),
        };
        return c.json(health, 200);
      })
      // GET /api/analysis/subset?judge=&k=: about k scenarios that estimate every model's full mean, validated leave-one-model-out
      .get('/subset', zValidator('query', AnchorSubsetQuerySchema, validationHook('query')), async (c) => {
        const { judge: judgeId, k } = c.req.valid('query');
        const judge = judgeId ? await findJudgeVersion(db, judgeId) : await findDefaultJudge(db);
        if (judgeId && !judge) return apiError(c, 404, 'not_found', `no judge version ${judgeId}`);
        if (!judge) return apiError(c, 409, 'conflict', 'no judge version yet: create a judge and run models first');
        return c.json(await anchorSubsetReport(db, judge, k), 200);
      })
      // GET /api/analysis/quick-runs/:id: a quick run's estimated full-benchmark scores, overall and per category
      .get(
        '/quick-runs/:id',
        zValidator('param', z.object({ id: z.string().uuid('not a run id') }), validationHook('param')),
        async (c) => {
          const run = await findRun(db, c.req.valid('param').id);
          if (!run) return apiError(c, 404, 'not_found', 'no such run');
          const quick = settingsOf(run).quick;
          if (!quick)
            return apiError(c, 409, 'conflict', 'not a quick run: its leaderboard measures, it does not estimate');
          return c.json(await quickRunEstimates(db, run.id, quick), 200);
        },
      )
  );
}
