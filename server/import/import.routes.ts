import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { ImportRequestSchema, type ImportRequest } from '../../schema/api/import.ts';
import type { Db } from '../db/database.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import type { Redactor } from '../models/redact.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { recordScenarioEditor } from '../studies/study.repository.ts';
import { ImportError } from './import.plan.ts';
import { chooseItems, planImport, type ImportSource } from './import.run.ts';
import { importPlan, redactPlan } from './import.writer.ts';

/** The uploaded files as an import source: the first is imported, the others are what it refers to (or, for petri, more .md seeds). */
function sourceOf(request: ImportRequest): ImportSource {
  const [first, ...rest] = request.files;
  if (request.format === 'petri' && request.files.every((f) => f.name.endsWith('.md'))) {
    return {
      name: request.files.length === 1 ? first!.name : 'seeds',
      files: request.files.map((f) => ({ name: f.name, text: f.content })),
    };
  }
  return {
    name: first!.name,
    files: [{ name: first!.name, text: first!.content }],
    readSibling: (rel) => rest.find((f) => f.name === rel || f.name === rel.split('/').pop())?.content ?? null,
  };
}

export function importRoutes(corpus: ScenarioCorpus, db: Db, redact: Redactor) {
  const run = async (c: Context<AuthEnv>, request: ImportRequest, dryRun: boolean) => {
    try {
      const options = {
        category: request.category,
        behavior: request.behavior,
        into: request.into,
        presence: request.presence,
      };
      const planned = planImport(request.format, sourceOf(request), corpus.taxonomy, options);
      const plan = redactPlan(chooseItems(planned, request.only), redact);
      const report = await importPlan(corpus, plan, dryRun, db);
      const user = c.var.user;
      if (!dryRun && user) {
        for (const s of report.scenarios.filter((x) => x.action === 'create'))
          await recordScenarioEditor(db, s.id, user.id);
      }
      return c.json(report, 200);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      return apiError(c, 422, 'validation_failed', `${e.message}; nothing was imported`, [
        { message: e.problem, path: [e.where, e.item, ...(e.field ? [e.field] : [])] },
      ]);
    }
  };
  return (
    new Hono<AuthEnv>()
      // POST /api/import/preview: what the import would write, item by item; writes nothing
      .post('/preview', zValidator('json', ImportRequestSchema, validationHook('json')), (c) =>
        run(c, c.req.valid('json'), true),
      )
      // POST /api/import/apply: checks everything, then writes it all (drafts, taxonomy) or nothing
      .post('/apply', zValidator('json', ImportRequestSchema, validationHook('json')), (c) =>
        run(c, c.req.valid('json'), false),
      )
  );
}
