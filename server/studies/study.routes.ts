import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CreateStudyRequestSchema, SetGoldRequestSchema } from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { ADMIN_ROLES, requireRole, STUDIO_ROLES, type AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { writeFileAtomic } from '../scenarios/atomic-write.ts';
import { listEveryScenario } from '../scenarios/every-scenario.ts';
import { importRealism, realismRecords, toCsv, toJsonl } from './realism.export.ts';
import { computeRealismResults } from './realism.results.ts';
import {
  countItems,
  createStudy,
  findStudy,
  listStudyRows,
  setGold,
  setStudyStatus,
  summaryOfStudy,
} from './study.repository.ts';

const IdParam = z.object({ id: z.string().regex(/^[a-z0-9-]{3,80}$/, 'not a study id') });
const ResultsQuery = z.object({ excludeFlagged: z.enum(['true', 'false']).default('true') });

export function studyRoutes(db: Db, annotationsDir: string) {
  const studio = requireRole(db, STUDIO_ROLES);
  const admin = requireRole(db, ADMIN_ROLES);
  const loadStudy = async (id: string) => findStudy(db, id);

  return (
    new Hono<AuthEnv>()
      // GET /api/studies
      .get('/', studio, async (c) => {
        const rows = await listStudyRows(db);
        const studies = await Promise.all(
          rows.map(async (row) => {
            const results = await computeRealismResults(db, row, { excludeFlaggedRaters: true, withCi: false });
            return summaryOfStudy(row, {
              items: await countItems(db, row.id),
              ratings: results.study.ratings,
              validated: results.study.validated,
            });
          }),
        );
        return c.json({ studies }, 200);
      })
      // POST /api/studies: a realism study over the scenarios the filter selects
      .post('/', admin, zValidator('json', CreateStudyRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const items = await listEveryScenario(db, req.filter);
        const usable = items.filter((s) => s.errorCount === 0 && s.status !== 'retired').map((s) => s.id);
        if (usable.length === 0)
          return apiError(c, 422, 'validation_failed', 'the filter selects no valid, non-retired scenario');
        const id = await createStudy(db, req, usable, c.var.user.id);
        return c.json({ id, items: usable.length }, 201);
      })
      // POST /api/studies/import: a realism-<study>.jsonl export, as text
      .post(
        '/import',
        admin,
        zValidator('json', z.object({ jsonl: z.string().min(1) }), validationHook('json')),
        async (c) => {
          const result = await importRealism(db, c.req.valid('json').jsonl, c.var.user.id);
          if (!result.ok) return apiError(c, 422, 'validation_failed', result.message);
          return c.json({ id: result.studyId, ratings: result.ratings }, 201);
        },
      )
      // GET /api/studies/:id/results?excludeFlagged=
      .get(
        '/:id/results',
        studio,
        zValidator('param', IdParam, validationHook('param')),
        zValidator('query', ResultsQuery, validationHook('query')),
        async (c) => {
          const study = await loadStudy(c.req.valid('param').id);
          if (!study) return apiError(c, 404, 'not_found', 'no such study');
          return c.json(
            await computeRealismResults(db, study, {
              excludeFlaggedRaters: c.req.valid('query').excludeFlagged === 'true',
              revealNames: c.var.user.role === 'admin',
            }),
            200,
          );
        },
      )
      // PUT /api/studies/:id/gold
      .put(
        '/:id/gold',
        admin,
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', SetGoldRequestSchema, validationHook('json')),
        async (c) => {
          const { scenarioId, min, max } = c.req.valid('json');
          if ((min === null) !== (max === null) || (min !== null && max !== null && min > max))
            return apiError(c, 400, 'bad_request', 'give both min and max (min <= max), or both null to unmark');
          if (!(await setGold(db, c.req.valid('param').id, scenarioId, min, max)))
            return apiError(c, 404, 'not_found', 'no such scenario in this study');
          return c.json({ scenarioId, gold: min === null ? null : { min, max } }, 200);
        },
      )
      // POST /api/studies/:id/close and /open
      .post('/:id/close', admin, zValidator('param', IdParam, validationHook('param')), async (c) => {
        if (!(await loadStudy(c.req.valid('param').id))) return apiError(c, 404, 'not_found', 'no such study');
        await setStudyStatus(db, c.req.valid('param').id, 'closed');
        return c.json({ status: 'closed' as const }, 200);
      })
      .post('/:id/open', admin, zValidator('param', IdParam, validationHook('param')), async (c) => {
        if (!(await loadStudy(c.req.valid('param').id))) return apiError(c, 404, 'not_found', 'no such study');
        await setStudyStatus(db, c.req.valid('param').id, 'open');
        return c.json({ status: 'open' as const }, 200);
      })
      // GET /api/studies/:id/export.jsonl and export.csv: downloads
      .get('/:id/export.jsonl', studio, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await loadStudy(c.req.valid('param').id);
        if (!study) return apiError(c, 404, 'not_found', 'no such study');
        c.header('Content-Disposition', `attachment; filename="realism-${study.id}.jsonl"`);
        return c.body(toJsonl(await realismRecords(db, study)), 200, {
          'Content-Type': 'application/x-ndjson; charset=utf-8',
        });
      })
      .get('/:id/export.csv', studio, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await loadStudy(c.req.valid('param').id);
        if (!study) return apiError(c, 404, 'not_found', 'no such study');
        c.header('Content-Disposition', `attachment; filename="realism-${study.id}.csv"`);
        return c.body(toCsv(await realismRecords(db, study)), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      })
      // POST /api/studies/:id/export: writes annotations/realism-<id>.jsonl and .csv (what a release ships)
      .post('/:id/export', admin, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await loadStudy(c.req.valid('param').id);
        if (!study) return apiError(c, 404, 'not_found', 'no such study');
        const records = await realismRecords(db, study);
        mkdirSync(annotationsDir, { recursive: true });
        const jsonl = join(annotationsDir, `realism-${study.id}.jsonl`);
        const csv = join(annotationsDir, `realism-${study.id}.csv`);
        writeFileAtomic(jsonl, toJsonl(records));
        writeFileAtomic(csv, toCsv(records));
        return c.json(
          {
            files: [`annotations/realism-${study.id}.jsonl`, `annotations/realism-${study.id}.csv`],
            ratings: records.length,
          },
          200,
        );
      })
  );
}
