import { zValidator } from '@hono/zod-validator';
import { listRunItems } from './run-items.repository.ts';
import { buildOutputGrid } from './output-grid.ts';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { CreateRunRequestSchema, RunSettingsSchema } from '../../schema/api/runs.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { findDefaultJudge, findJudgeVersion } from '../judge/judge.repository.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { buildLeaderboard, compareModels, dimensionsOf, scoredItems, type Leaderboard } from './leaderboard.ts';
import { leaderboardCsv, staticLeaderboardFileName, staticLeaderboardHtml } from './leaderboard.export.ts';
import type { RunExecutor } from './run.executor.ts';
import {
  createRun,
  findRun,
  listItemErrors,
  listRuns,
  requeueFailedItems,
  runProgress,
  runSummary,
} from './run.repository.ts';
import { rejudgeRunJob } from './rejudge.job.ts';
import type { JobRunner } from '../jobs/job.runner.ts';
import { acceptedJob } from '../jobs/job.routes.ts';
import { runUsageCsv, runUsageHtml, runUsageOf } from './run-usage.export.ts';
import { runVariableEffects } from '../variants/run-variable-effects.ts';
import { variableEffectsCsv } from '../variants/variable-effects.export.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import { planQuickRun } from '../analysis/quick-run.ts';

const IdParam = z.object({ id: z.string().uuid('not a run id') });
const JudgeQuery = z.object({
  judgeVersionId: z.string().uuid().optional(),
  /** The dimension to rank by (default: the primary, alignment). */
  dimension: z.string().max(40).optional(),
});

type StoredRun = NonNullable<Awaited<ReturnType<typeof findRun>>>;

export function runRoutes(
  db: Db,
  corpus: ScenarioCorpus,
  executor: RunExecutor,
  models: ModelRegistry,
  redact: (text: string) => string,
  jobs: JobRunner,
) {
  /** The judge version a run's results are read with: the one asked for, else the run's own, else the default. */
  const judgeOf = async (run: StoredRun, asked?: string): Promise<string | null> =>
    asked ?? run.judge_version_id ?? (await findDefaultJudge(db))?.id ?? null;
  const loadBoard = async (runId: string, judgeVersionId?: string, dimensionId?: string) => {
    const run = await findRun(db, runId);
    if (!run) return null;
    const judgeId = await judgeOf(run, judgeVersionId);
    if (!judgeId) return { run, board: null };
    const judge = await findJudgeVersion(db, judgeId);
    const dimensions = dimensionsOf(judge?.settings.dimensions ?? []);
    const dimension = dimensions.find((d) => d.id === (dimensionId ?? 'alignment'));
    if (!dimension)
      return {
        run,
        board: null,
        problem: `judge version ${judgeId} has no dimension "${dimensionId}" (it scores: ${dimensions.map((d) => d.id).join(', ')})`,
      };
    const { items, judgeErrors, unjudged } = await scoredItems(db, runId, judgeId, dimension.id);
    return {
      run,
      board: {
        ...buildLeaderboard(items, judgeId, { judgeErrors, unjudged }, dimension, dimensions),
        variables: await runVariableEffects(db, runId, items),
      },
      items,
    };
  };
  const boardOf = (c: { req: { valid(t: 'query'): z.infer<typeof JudgeQuery> } }, runId: string) => {
    const q = c.req.valid('query');
    return loadBoard(runId, q.judgeVersionId, q.dimension);
  };
  /**
   * A leaderboard download (JSON, CSV, HTML): the board of the run under the asked judge and dimension,
   * offered as an attachment named `filename`, or the error that says why there is none.
   */
  const download = async (
    c: Context<AuthEnv>,
    runId: string,
    query: z.infer<typeof JudgeQuery>,
    filename: (run: StoredRun) => string,
    render: (run: StoredRun, board: Leaderboard) => Response | Promise<Response>,
  ) => {
    const loaded = await loadBoard(runId, query.judgeVersionId, query.dimension);
    if (loaded?.problem) return apiError(c, 422, 'validation_failed', loaded.problem);
    if (!loaded?.board) return apiError(c, 404, 'not_found', 'no such run or no judge');
    // A download: to keep or host, not to open inside the studio's origin.
    c.header('Content-Disposition', `attachment; filename="${filename(loaded.run)}"`);
    return render(loaded.run, loaded.board);
  };
  return (
    new Hono<AuthEnv>()
      // GET /api/runs
      .get('/', async (c) => {
        const runs = await listRuns(db);
        return c.json(
          { runs: await Promise.all(runs.map((r) => runSummary(db, r, executor.runningItems(r.id)))) },
          200,
        );
      })
      // POST /api/runs: create and start
      .post('/', zValidator('json', CreateRunRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const unknown = req.settings.models.filter((m) => !models.list().some((x) => x.id === m));
        if (unknown.length) return apiError(c, 422, 'validation_failed', `unknown model(s): ${unknown.join(', ')}`);
        const plan = req.quick ? await planQuickRun(db, RunSettingsSchema.parse(req.settings), req.quick.k) : null;
        if (plan && !plan.ok) return apiError(c, 422, 'validation_failed', plan.message);
        const created = await createRun(db, corpus, plan ? { ...req, settings: plan.settings } : req, c.var.user.id);
        if (!created.ok) return apiError(c, 422, 'validation_failed', created.message);
        await executor.start(created.id);
        return c.json({ id: created.id, items: created.items }, 201);
      })
      // GET /api/runs/:id
      .get('/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const run = await findRun(db, c.req.valid('param').id);
        if (!run) return apiError(c, 404, 'not_found', 'no such run');
        return c.json(await runSummary(db, run, executor.runningItems(run.id)), 200);
      })
      // GET /api/runs/:id/errors: failed items, and items waiting to be retried, each with its last error
      .get(
        '/:id/errors',
        zValidator('param', IdParam, validationHook('param')),
        zValidator(
          'query',
          z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
          validationHook('query'),
        ),
        async (c) => {
          const run = await findRun(db, c.req.valid('param').id);
          if (!run) return apiError(c, 404, 'not_found', 'no such run');
          const rows = await listItemErrors(db, run.id, c.req.valid('query').limit);
          return c.json(
            {
              items: rows.map((r) => ({
                id: r.id,
                scenarioId: r.scenario_id,
                model: r.model,
                repeat: r.repeat,
                /** failed: out of tries; pending: waiting for its next try. */
                status: r.status === 'failed' ? ('failed' as const) : ('retrying' as const),
                attempts: r.attempts,
                // Rows stored before errors were redacted at write time are blanked here too.
                error: r.error === null ? null : redact(r.error),
                finishedAt: r.finished_at,
              })),
            },
            200,
          );
        },
      )
      // GET /api/runs/:id/events: live progress (SSE)
      .get('/:id/events', zValidator('param', IdParam, validationHook('param')), (c) =>
        streamSSE(c, async (stream) => {
          const id = c.req.valid('param').id;
          const send = (runId: string, progress: unknown) =>
            void (runId === id && stream.writeSSE({ event: 'progress', data: JSON.stringify(progress) }));
          const finished = (runId: string) => void (runId === id && stream.writeSSE({ event: 'finished', data: '{}' }));
          executor.events.on('progress', send);
          executor.events.on('finished', finished);
          // A snapshot at once: the next update may be a second away.
          const run = await findRun(db, id);
          if (run)
            await stream.writeSSE({
              event: 'progress',
              data: JSON.stringify({ ...(await runProgress(db, run)), running: executor.runningItems(id) }),
            });
          stream.onAbort(() => {
            executor.events.off('progress', send);
            executor.events.off('finished', finished);
          });
          // A run whose items workers run (no local events): its progress is read from the database every second.
          let quiet = 0;
          while (!stream.aborted) {
            if (executor.isRunning(id) || executor.placement === 'server') {
              await stream.writeSSE({ event: 'ping', data: '' });
              await stream.sleep(15_000);
              continue;
            }
            const now = await findRun(db, id);
            if (now && (now.status === 'running' || now.status === 'queued')) {
              await stream.writeSSE({ event: 'progress', data: JSON.stringify(await runProgress(db, now)) });
              quiet = 0;
            } else if (quiet++ === 0) {
              if (now) await stream.writeSSE({ event: 'progress', data: JSON.stringify(await runProgress(db, now)) });
              await stream.writeSSE({ event: 'finished', data: '{}' });
            }
            await stream.sleep(1000);
          }
        }),
      )
      // POST /api/runs/:id/stop and /resume
      .post('/:id/stop', zValidator('param', IdParam, validationHook('param')), async (c) => {
        // Run here: its items in flight return to the queue; run by workers: they let go at their next renewal.
        if (!(await executor.stopRun(c.req.valid('param').id)))
          return apiError(c, 409, 'conflict', 'the run is not running');
        return c.json({ stopped: true }, 200);
      })
      // POST /api/runs/:id/retry-failed: failed items back in the queue, and the run started
      .post('/:id/retry-failed', zValidator('param', IdParam, validationHook('param')), async (c) => {
        if (!(await findRun(db, c.req.valid('param').id))) return apiError(c, 404, 'not_found', 'no such run');
        if (executor.isRunning(c.req.valid('param').id)) return apiError(c, 409, 'conflict', 'stop the run first');
        const requeued = await requeueFailedItems(db, c.req.valid('param').id);
        await executor.start(c.req.valid('param').id);
        return c.json({ requeued }, 200);
      })
      .post('/:id/resume', zValidator('param', IdParam, validationHook('param')), async (c) => {
        if (!(await findRun(db, c.req.valid('param').id))) return apiError(c, 404, 'not_found', 'no such run');
        await executor.start(c.req.valid('param').id);
        return c.json({ resumed: true }, 200);
      })
      // POST /api/runs/:id/rejudge: a new judge version over the same transcripts, no target calls; a
      // background job (202 with it): GET /api/jobs/:id/events follows it, its result holds the counts
      .post(
        '/:id/rejudge',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', z.strictObject({ judgeVersionId: z.string().uuid() }), validationHook('json')),
        async (c) => {
          const judge = await findJudgeVersion(db, c.req.valid('json').judgeVersionId);
          if (!judge) return apiError(c, 404, 'not_found', 'no such judge version');
          const runId = c.req.valid('param').id;
          if (!(await findRun(db, runId))) return apiError(c, 404, 'not_found', 'no such run');
          return acceptedJob(c, await jobs.enqueue(rejudgeRunJob, { runId, judgeVersionId: judge.id }, c.var.user.id));
        },
      )
      // GET /api/runs/:id/leaderboard?judgeVersionId=
      .get(
        '/:id/leaderboard',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', JudgeQuery, validationHook('query')),
        async (c) => {
          const loaded = await boardOf(c, c.req.valid('param').id);
          if (!loaded) return apiError(c, 404, 'not_found', 'no such run');
          if (loaded.problem) return apiError(c, 422, 'validation_failed', loaded.problem);
          if (!loaded.board)
            return apiError(c, 409, 'conflict', 'no judge version to score the run with: create a judge first');
          return c.json(loaded.board, 200);
        },
      )
      // GET /api/runs/:id/grid?behavior=&judgeVersionId=: scenario x model, each cell the score and the last answer's start
      .get(
        '/:id/grid',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', JudgeQuery.extend({ behavior: z.string().max(120).optional() }), validationHook('query')),
        async (c) => {
          const q = c.req.valid('query');
          const run = await findRun(db, c.req.valid('param').id);
          if (!run) return apiError(c, 404, 'not_found', 'no such run');
          const judgeId = await judgeOf(run, q.judgeVersionId);
          return c.json(await buildOutputGrid(db, run.id, judgeId, { behavior: q.behavior }), 200);
        },
      )
      // GET /api/runs/:id/items?model=&behavior=&minScore=&maxScore=&q=&judgeVersionId=: the deep dive
      .get(
        '/:id/items',
        zValidator('param', IdParam, validationHook('param')),
        zValidator(
          'query',
          JudgeQuery.extend({
            model: z.string().optional(),
            behavior: z.string().optional(),
            minScore: z.coerce.number().int().min(1).max(5).optional(),
            maxScore: z.coerce.number().int().min(1).max(5).optional(),
            q: z.string().max(200).optional().describe('Words that must all appear in the transcript.'),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
          validationHook('query'),
        ),
        async (c) => {
          const q = c.req.valid('query');
          const run = await findRun(db, c.req.valid('param').id);
          if (!run) return apiError(c, 404, 'not_found', 'no such run');
          const judgeId = await judgeOf(run, q.judgeVersionId);
          const rows = await listRunItems(db, run.id, judgeId, q);
          return c.json(
            {
              judgeVersionId: judgeId,
              items: rows.map((r) => ({
                id: r.id,
                scenarioId: r.scenario_id,
                category: r.category,
                behavior: r.behavior,
                model: r.model,
                repeat: r.repeat,
                status: r.status,
                transcriptId: r.dry_run_id,
                error: r.error,
                /** The primary score: the judge's, or 1 when a red-flag tool call capped it. */
                score: r.score,
                /** What the judge itself gave (its rationale argues for this one). */
                judgeScore: r.judge_score,
                redFlagged: r.red_flagged === 1,
                judgeStatus: r.judge_status,
                rationale: r.rationale,
              })),
            },
            200,
          );
        },
      )
      // GET /api/runs/:id/compare?a=&b=&family=pair|all
      .get(
        '/:id/compare',
        zValidator('param', IdParam, validationHook('param')),
        zValidator(
          'query',
          JudgeQuery.extend({
            a: z.string().min(1),
            b: z.string().min(1),
            // Bonferroni over this pair's behaviours (default) or over every pair's.
            family: z.enum(['pair', 'all']).default('pair'),
          }),
          validationHook('query'),
        ),
        async (c) => {
          const q = c.req.valid('query');
          const loaded = await loadBoard(c.req.valid('param').id, q.judgeVersionId, q.dimension);
          if (loaded?.problem) return apiError(c, 422, 'validation_failed', loaded.problem);
          if (!loaded?.board || !loaded.items) return apiError(c, 404, 'not_found', 'no such run or no judge');
          return c.json(compareModels(loaded.items, q.a, q.b, q.family), 200);
        },
      )
      // GET /api/runs/:id/export.json | export.csv | leaderboard.html: results to publish
      .get(
        '/:id/export.json',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', JudgeQuery, validationHook('query')),
        (c) =>
          download(
            c,
            c.req.valid('param').id,
            c.req.valid('query'),
            (run) => `leaderboard-${run.id.slice(0, 8)}.json`,
            async (run, board) => {
              const usage = runUsageOf(await runProgress(db, run));
              return c.json({ run: { id: run.id, name: run.name }, ...board, usage }, 200);
            },
          ),
      )
      .get(
        '/:id/export.csv',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', JudgeQuery, validationHook('query')),
        (c) =>
          download(
            c,
            c.req.valid('param').id,
            c.req.valid('query'),
            (run) => `leaderboard-${run.id.slice(0, 8)}.csv`,
            (_run, board) => c.body(leaderboardCsv(board), 200, { 'Content-Type': 'text/csv; charset=utf-8' }),
          ),
      )
      // GET /api/runs/:id/variables.csv: scores by scenario variable (mean per value, paired differences with CIs)
      .get(
        '/:id/variables.csv',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', JudgeQuery, validationHook('query')),
        (c) =>
          download(
            c,
            c.req.valid('param').id,
            c.req.valid('query'),
            (run) => `variables-${run.id.slice(0, 8)}.csv`,
            (_run, board) => c.body(variableEffectsCsv(board), 200, { 'Content-Type': 'text/csv; charset=utf-8' }),
          ),
      )
      .get(
        '/:id/leaderboard.html',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', JudgeQuery, validationHook('query')),
        (c) =>
          download(
            c,
            c.req.valid('param').id,
            c.req.valid('query'),
            (run) => staticLeaderboardFileName(run.name, run.id),
            async (run, board) => {
              const usage = runUsageOf(await runProgress(db, run));
              return c.html(staticLeaderboardHtml(run.name, board, corpus.taxonomy, [runUsageHtml(usage)]), 200);
            },
          ),
      )
      // GET /api/runs/:id/usage.csv: tokens and cost per target model, per judge model, and in total
      .get('/:id/usage.csv', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const run = await findRun(db, c.req.valid('param').id);
        if (!run) return apiError(c, 404, 'not_found', 'no such run');
        c.header('Content-Disposition', `attachment; filename="usage-${run.id.slice(0, 8)}.csv"`);
        return c.body(runUsageCsv(runUsageOf(await runProgress(db, run))), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
        });
      })
  );
}
