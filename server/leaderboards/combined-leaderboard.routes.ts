import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  AddModelRequestSchema,
  AddRunRequestSchema,
  CreateLeaderboardRequestSchema,
} from '../../schema/api/leaderboards.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { RunExecutor } from '../runs/run.executor.ts';
import { createRun } from '../runs/run.repository.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import {
  findLeaderboard,
  addRunToBoard,
  boardProfiles,
  combinedLeaderboard,
  createLeaderboard,
  listLeaderboards,
} from './combined-leaderboard.repository.ts';
import { scenarioDifference } from './run-comparability.ts';
import { contentHashesById } from '../scenarios/scenario.repository.ts';

const IdParam = z.object({ id: z.string().uuid('not a leaderboard id') });

/** Leaderboards combining comparable runs (mounted behind the studio's role check). */
export function combinedLeaderboardRoutes(
  db: Db,
  corpus: ScenarioCorpus,
  executor: RunExecutor,
  models: ModelRegistry,
) {
  const exists = async (id: string) => (await findLeaderboard(db, id)) !== undefined;
  return (
    new Hono<AuthEnv>()
      // GET /api/leaderboards
      .get('/', async (c) => c.json({ leaderboards: await listLeaderboards(db) }, 200))
      // POST /api/leaderboards: a leaderboard starting from one run
      .post('/', zValidator('json', CreateLeaderboardRequestSchema, validationHook('json')), async (c) => {
        const { name, runId } = c.req.valid('json');
        const created = await createLeaderboard(db, name, runId, c.var.user.id);
        if (!created.ok)
          return apiError(c, created.status, created.status === 404 ? 'not_found' : 'conflict', created.message);
        return c.json({ id: created.id }, 201);
      })
      // GET /api/leaderboards/:id: the runs' models ranked together, with family, version and release date
      .get('/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const board = await combinedLeaderboard(db, c.req.valid('param').id, models);
        if (!board) return apiError(c, 404, 'not_found', 'no such leaderboard');
        return c.json(board, 200);
      })
      // POST /api/leaderboards/:id/runs: add a comparable run (409 with every reason it is not)
      .post(
        '/:id/runs',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', AddRunRequestSchema, validationHook('json')),
        async (c) => {
          if (!(await exists(c.req.valid('param').id))) return apiError(c, 404, 'not_found', 'no such leaderboard');
          const added = await addRunToBoard(db, c.req.valid('param').id, c.req.valid('json').runId);
          if (!added.ok)
            return apiError(c, added.status, added.status === 404 ? 'not_found' : 'conflict', added.message);
          return c.json({ added: true }, 200);
        },
      )
      // POST /api/leaderboards/:id/models: run only the new model on the leaderboard's scenarios, placed on it
      .post(
        '/:id/models',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', AddModelRequestSchema, validationHook('json')),
        async (c) => {
          const id = c.req.valid('param').id;
          const { model } = c.req.valid('json');
          const board = await findLeaderboard(db, id);
          if (!board) return apiError(c, 404, 'not_found', 'no such leaderboard');
          if (!models.list().some((m) => m.id === model))
            return apiError(c, 422, 'validation_failed', `unknown model: ${model}`);
          const profiles = await boardProfiles(db, id);
          const reference = profiles[0];
          if (!reference) return apiError(c, 409, 'conflict', 'the leaderboard has no run to take its scenarios from');
          const from = profiles.find((p) => p.models.includes(model));
          if (from)
            return apiError(c, 409, 'conflict', `${model} is on the leaderboard already (from run "${from.name}")`);
          // The new model must meet the very scenario texts the others met.
          const hashes = await contentHashesById(db);
          const current = new Map(
            [...reference.scenarios.keys()].flatMap((id) => (hashes.has(id) ? [[id, hashes.get(id)!]] : [])),
          );
          const changed = scenarioDifference(reference.scenarios, current);
          if (changed)
            return apiError(
              c,
              409,
              'conflict',
              `the corpus changed since this leaderboard's runs (${changed.replace('different scenario content hashes: ', '')}): a run now would not be comparable; start a new leaderboard`,
            );
          const created = await createRun(
            db,
            corpus,
            {
              name: `${board.name}: ${model}`,
              settings: {
                models: [model],
                repeats: reference.repeats,
                filter: { scope: 'all' },
                judgeVersionId: reference.judgeVersionId ?? undefined,
                scenarioIds: [...reference.scenarios.keys()],
              },
            },
            c.var.user.id,
          );
          if (!created.ok) return apiError(c, 422, 'validation_failed', created.message);
          const added = await addRunToBoard(db, id, created.id);
          if (!added.ok) return apiError(c, 409, 'conflict', added.message);
          await executor.start(created.id);
          return c.json({ runId: created.id, items: created.items }, 201);
        },
      )
  );
}
