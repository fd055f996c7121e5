import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import {
  CheckScenarioRequestSchema,
  CreateFromTemplateRequestSchema,
  CreateScenarioRequestSchema,
  DeleteScenarioQuerySchema,
  DuplicateScenarioRequestSchema,
  RenameScenarioRequestSchema,
  RunScopeQuerySchema,
  SaveScenarioRequestSchema,
  ScenarioListQuerySchema,
  SetStatusRequestSchema,
  type ScenarioChangeEvent,
  type ScenarioConflict,
  type ScenarioDocument,
  type ScenarioWriteResult,
} from '../../schema/api/scenarios.ts';
import { ScenarioIdSchema } from '../../schema/scenario.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { recordScenarioEditor } from '../studies/study.repository.ts';
import type { ScenarioCorpus } from './scenario.corpus.ts';
import { validatedScenarioIds } from '../studies/validated.ts';
import { ratingsMadeStaleBy } from '../studies/stale-preview.ts';
import { rowOfScenarioFile } from './scenario.row.ts';
import { countRunScope } from './run-scope.count.ts';
import { listScenarios } from './scenario.repository.ts';
import {
  checkScenarioDraft,
  createScenario,
  createScenarioFromTemplate,
  deleteScenario,
  duplicateScenario,
  readScenario,
  renameScenario,
  saveScenario,
  setScenarioStatus,
  type StoreResult,
} from './scenario.store.ts';

const IdParam = z.object({ id: ScenarioIdSchema });

/** Turns a store result into a response: 200/201 with the new version, or the error envelope. */
function respond(c: Context, result: StoreResult, okStatus: 200 | 201 = 200) {
  if (result.ok) {
    const body: ScenarioWriteResult = { id: result.id, relPath: result.relPath, hash: result.hash };
    return c.json(body, okStatus);
  }
  if (result.code === 'conflict') {
    const body: ScenarioConflict = { error: { code: 'conflict', message: result.message }, current: result.current ?? null };
    return c.json(body, 409);
  }
  const issues = result.issues?.map((d) => ({ message: d.message, path: d.path, line: d.line, column: d.column }));
  return apiError(c, result.status, result.code, result.message, issues);
}

export function scenarioRoutes(corpus: ScenarioCorpus, db: Db) {
  /** Remembers who wrote a scenario (they may not rate its realism), then answers. */
  const written = async (c: Context<AuthEnv>, result: StoreResult, okStatus: 200 | 201 = 200) => {
    if (result.ok && c.var.user) await recordScenarioEditor(db, result.id, c.var.user.id);
    return respond(c, result, okStatus);
  };
  return (
    new Hono<AuthEnv>()
      // GET /api/scenarios
      .get('/', zValidator('query', ScenarioListQuerySchema, validationHook('query')), async (c) => {
        const validated = await validatedScenarioIds(corpus.db);
        const list = async () =>
          listScenarios(corpus.db, c.req.valid('query'), { taxonomy: corpus.taxonomy, validatedIds: validated });
        let page = await list();
        // While a warm start's reconciliation runs, a page whose files changed or went since they
        // were indexed waits for it (scenario-index.gate.ts): no removed file is listed as present.
        if (corpus.reconciling && !(await corpus.rowsAreCurrent(page.items.map((i) => i.relPath)))) {
          await corpus.reconciled();
          page = await list();
        }
        return c.json({ ...page, items: page.items.map((i) => (validated.has(i.id) ? { ...i, validated: true } : i)) }, 200);
      })
      // GET /api/scenarios/run-scope: what a run with this filter would cover, counted (the new-run dialog)
      .get('/run-scope', zValidator('query', RunScopeQuerySchema, validationHook('query')), async (c) =>
        c.json(await countRunScope(corpus.db, c.req.valid('query')), 200),
      )
      // GET /api/scenarios/events: server-sent events for every indexed change (edits on disk too)
      .get('/events', (c) =>
        streamSSE(c, async (stream) => {
          const send = (event: ScenarioChangeEvent) => void stream.writeSSE({ event: 'change', data: JSON.stringify(event) });
          const sendTaxonomy = () => void stream.writeSSE({ event: 'taxonomy', data: '{}' });
          corpus.events.on('change', send);
          corpus.events.on('taxonomy', sendTaxonomy);
          stream.onAbort(() => {
            corpus.events.off('change', send);
            corpus.events.off('taxonomy', sendTaxonomy);
          });
          while (!stream.aborted) {
            await stream.writeSSE({ event: 'ping', data: '' });
            await stream.sleep(15_000);
          }
        }),
      )
      // POST /api/scenarios/check: diagnostics for unsaved text, nothing written
      .post('/check', zValidator('json', CheckScenarioRequestSchema, validationHook('json')), async (c) => {
        const { content, id } = c.req.valid('json');
        const safeId = id !== undefined && ScenarioIdSchema.safeParse(id).success ? id : undefined;
        return c.json({ diagnostics: await checkScenarioDraft(corpus, content, safeId) }, 200);
      })
      // POST /api/scenarios: create from full text
      .post('/', zValidator('json', CreateScenarioRequestSchema, validationHook('json')), async (c) => {
        return written(c, await createScenario(corpus, c.req.valid('json').content), 201);
      })
      // POST /api/scenarios/from-template
      .post('/from-template', zValidator('json', CreateFromTemplateRequestSchema, validationHook('json')), async (c) => {
        return written(c, await createScenarioFromTemplate(corpus, c.req.valid('json')), 201);
      })
      // GET /api/scenarios/:id
      .get('/:id', zValidator('param', IdParam, validationHook('param')), async (c) => {
        const { id } = c.req.valid('param');
        const loaded = await readScenario(corpus, id);
        if (!loaded) return apiError(c, 404, 'not_found', `no scenario with id "${id}"`);
        const body: ScenarioDocument = {
          id: loaded.ref.id,
          relPath: loaded.ref.relPath,
          content: loaded.content,
          hash: loaded.hash,
          diagnostics: loaded.diagnostics,
          validated: (await validatedScenarioIds(corpus.db)).has(loaded.ref.id),
        };
        return c.json(body, 200);
      })
      // PUT /api/scenarios/:id: save, refused with 409 unless based on the version on disk
      .put(
        '/:id',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', SaveScenarioRequestSchema, validationHook('json')),
        async (c) => {
          const { content, baseHash } = c.req.valid('json');
          return written(c, await saveScenario(corpus, c.req.valid('param').id, content, baseHash));
        },
      )
      // POST /api/scenarios/:id/stale-ratings: the realism ratings a save of this text would make stale, by study
      .post(
        '/:id/stale-ratings',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', z.object({ content: SaveScenarioRequestSchema.shape.content }), validationHook('json')),
        async (c) => {
          const loaded = await readScenario(corpus, c.req.valid('param').id);
          if (!loaded) return apiError(c, 404, 'not_found', `no scenario with id "${c.req.valid('param').id}"`);
          const next = rowOfScenarioFile(loaded.ref, c.req.valid('json').content, { mtimeMs: 0, size: 0 }, corpus.taxonomy);
          return c.json(await ratingsMadeStaleBy(db, loaded.ref.id, next), 200);
        },
      )
      // POST /api/scenarios/:id/duplicate
      .post(
        '/:id/duplicate',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', DuplicateScenarioRequestSchema, validationHook('json')),
        async (c) => written(c, await duplicateScenario(corpus, c.req.valid('param').id, c.req.valid('json').newId), 201),
      )
      // POST /api/scenarios/:id/rename
      .post(
        '/:id/rename',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', RenameScenarioRequestSchema, validationHook('json')),
        async (c) => {
          const { newId, baseHash } = c.req.valid('json');
          return written(c, await renameScenario(corpus, c.req.valid('param').id, newId, baseHash));
        },
      )
      // POST /api/scenarios/:id/status: retire or change authoring status
      .post(
        '/:id/status',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', SetStatusRequestSchema, validationHook('json')),
        async (c) => {
          const { status, baseHash } = c.req.valid('json');
          return written(c, await setScenarioStatus(corpus, c.req.valid('param').id, status, baseHash));
        },
      )
      // DELETE /api/scenarios/:id?baseHash=
      .delete(
        '/:id',
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', DeleteScenarioQuerySchema, validationHook('query')),
        async (c) => respond(c, await deleteScenario(corpus, c.req.valid('param').id, c.req.valid('query').baseHash)),
      )
  );
}
