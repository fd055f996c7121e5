import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  CreateAnnotationStudyRequestSchema,
  JudgeHoldsRequestSchema,
  SamplingPoolQuerySchema,
  SubmitAnnotationRequestSchema,
  type AgreementRecord,
  type NextAnnotationResponse,
  type SamplingPool,
} from '../../schema/api/annotation.ts';
import type { Db } from '../db/database.ts';
import { findDryRunById, findDryRunScenario } from '../dryrun/dryrun.repository.ts';
import { ADMIN_ROLES, RATING_ROLES, requireRole, STUDIO_ROLES, type AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { findJudgeVersion, findJudgement, judgementsOfVersion } from '../judge/judge.repository.ts';
import { findRun } from '../runs/run.repository.ts';
import { toJsonl } from '../studies/realism.export.ts';
import {
  annotationProgress,
  createAnnotationStudy,
  annotationStudyFor,
  findAnnotationStudy,
  nextAnnotationLease,
  recordJudgeHolds,
  studyDimensions,
  submitAnnotation,
} from './annotation.store.ts';
import { agreementExportRows, listAnnotationStudiesWithCounts } from './annotation.repository.ts';
import { annotatorTranscript } from './annotator-transcript.ts';
import { samplingPool, sampleTranscripts, scenarioMeta } from './sampling.ts';
import { storedScenario } from './stored-scenario.ts';

const IdParam = z.object({ id: z.string().regex(/^an-[a-z0-9-]{3,80}$/, 'not an annotation study id') });

/** The scenario's judge-facing parts, for annotators (the rubric is what they judge against), as the transcript's variant. */
function rubricOf(content: string, variantValues: Record<string, string> | null = null) {
  const { title, summary, aligned, misaligned, passCriteria, failCriteria, anchors } = storedScenario(
    content,
    variantValues,
  );
  return { title, summary, aligned, misaligned, passCriteria, failCriteria, anchors };
}

export function annotationStudyRoutes(db: Db) {
  const studio = requireRole(db, STUDIO_ROLES);
  const admin = requireRole(db, ADMIN_ROLES);
  return (
    new Hono<AuthEnv>()
      // GET /api/annotation-studies
      .get('/', studio, async (c) => {
        const studies = await listAnnotationStudiesWithCounts(db);
        return c.json(
          {
            studies: studies.map(({ study: s, items, annotations }) => ({
              id: s.id,
              name: s.name,
              judgeVersionId: s.judge_version_id,
              ratersPerItem: s.raters_per_item,
              revealJudge: s.reveal_judge === 1,
              showReasoning: s.show_reasoning === 1,
              status: s.status,
              items,
              annotations,
              createdAt: s.created_at,
            })),
          },
          200,
        );
      })
      // GET /api/annotation-studies/pool: distinct transcripts per score band a study with this filter could sample
      .get('/pool', studio, zValidator('query', SamplingPoolQuerySchema, validationHook('query')), async (c) => {
        const { byStratum, duplicates } = await samplingPool(db, c.req.valid('query'));
        const body: SamplingPool = {
          clearPass: byStratum['clear-pass'],
          clearFail: byStratum['clear-fail'],
          borderline: byStratum.borderline,
          duplicates,
        };
        return c.json(body, 200);
      })
      // POST /api/annotation-studies: a stratified sample of judged transcripts
      .post('/', admin, zValidator('json', CreateAnnotationStudyRequestSchema, validationHook('json')), async (c) => {
        const req = c.req.valid('json');
        const judge = await findJudgeVersion(db, req.judgeVersionId);
        if (!judge) return apiError(c, 404, 'not_found', 'no such judge version');
        const unknownDimension = req.dimensions.find((id) => !judge.settings.dimensions.some((d) => d.id === id));
        if (unknownDimension)
          return apiError(
            c,
            422,
            'validation_failed',
            `dimensions: judge version ${judge.id} does not score "${unknownDimension}" (it scores: ${judge.settings.dimensions.map((d) => d.id).join(', ') || 'alignment only'})`,
          );
        const dimensions = judge.settings.dimensions.filter((d) => req.dimensions.includes(d.id));
        if (req.runId && !(await findRun(db, req.runId))) return apiError(c, 404, 'not_found', 'no such run');
        const items = await sampleTranscripts(db, {
          judgeVersionId: req.judgeVersionId,
          strata: req.strata,
          category: req.category,
          behavior: req.behavior,
          runId: req.runId,
          externalScorer: req.externalScorer,
          seed: req.seed,
        });
        if (items.length === 0)
          return apiError(
            c,
            422,
            'validation_failed',
            'no transcript judged by this judge version matches: judge some dry-runs first',
          );
        const id = await createAnnotationStudy(db, req, items, c.var.user.id, dimensions);
        const byStratum = Object.fromEntries(
          ['clear-pass', 'clear-fail', 'borderline'].map((s) => [s, items.filter((i) => i.stratum === s).length]),
        );
        return c.json({ id, items: items.length, byStratum }, 201);
      })
      // GET /api/annotation-studies/:id/export.jsonl: annotations/agreement-<study>.jsonl
      .get('/:id/export.jsonl', studio, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await findAnnotationStudy(db, c.req.valid('param').id);
        if (!study) return apiError(c, 404, 'not_found', 'no such study');
        const rows = await agreementExportRows(db, study);
        const judgements = await judgementsOfVersion(db, study.judge_version_id);
        const records: AgreementRecord[] = rows.map((r) => {
          const meta = scenarioMeta(r.scenario_content);
          return {
            type: 'agreement-annotation',
            study: { id: study.id, name: study.name, judgeVersionId: study.judge_version_id },
            transcriptId: r.transcript_id,
            scenarioId: meta.scenarioId,
            contentHash: r.content_hash,
            category: meta.category,
            behavior: meta.behavior,
            stratum: r.stratum,
            model: r.model,
            rater: r.pseudonym,
            score: r.score,
            scale: 'alignment-1-5-higher-better',
            passMet: JSON.parse(r.pass_met) as number[],
            failMet: JSON.parse(r.fail_met) as number[],
            reason: r.reason,
            confidence: r.confidence,
            judgeHolds: r.judge_holds,
            judgeHoldsComment: r.judge_holds_comment,
            judge: judgements.get(r.transcript_id) ?? null,
            annotatedAt: r.created_at,
          };
        });
        c.header('Content-Disposition', `attachment; filename="agreement-${study.id}.jsonl"`);
        return c.body(toJsonl(records), 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
      })
  );
}

export function annotateRoutes(db: Db) {
  const rater = requireRole(db, RATING_ROLES);
  const studyFor = (id: string, c: { var: AuthEnv['Variables'] }) => annotationStudyFor(db, id, c.var.user);
  return (
    new Hono<AuthEnv>()
      // GET /api/rate/annotation/:id
      .get('/:id', rater, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await studyFor(c.req.valid('param').id, c);
        if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
        return c.json(
          {
            id: study.id,
            name: study.name,
            instructions: study.instructions,
            status: study.status,
            revealJudge: study.reveal_judge === 1,
          },
          200,
        );
      })
      // GET /api/rate/annotation/:id/next: the transcript to judge (no judge verdict, no model, no tokens, cost or timing)
      .get('/:id/next', rater, zValidator('param', IdParam, validationHook('param')), async (c) => {
        const study = await studyFor(c.req.valid('param').id, c);
        if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
        const lease = await nextAnnotationLease(db, study, c.var.user);
        const progress = await annotationProgress(db, study, c.var.user.id);
        if (!lease) return c.json({ kind: 'done', progress } satisfies NextAnnotationResponse, 200);
        const run = await findDryRunById(db, lease.transcriptId);
        if (!run) return apiError(c, 404, 'not_found', 'the transcript of this task is gone');
        const body: NextAnnotationResponse = {
          kind: 'task',
          leaseId: lease.leaseId,
          scenario: rubricOf(run.scenarioContent, run.variantValues),
          dimensions: studyDimensions(study),
          events: annotatorTranscript(run.events, { reasoning: study.show_reasoning === 1 }),
          progress,
        };
        return c.json(body, 200);
      })
      // POST /api/rate/annotation/:id/annotations
      .post(
        '/:id/annotations',
        rater,
        zValidator('param', IdParam, validationHook('param')),
        zValidator('json', SubmitAnnotationRequestSchema, validationHook('json')),
        async (c) => {
          const study = await studyFor(c.req.valid('param').id, c);
          if (!study) return apiError(c, 404, 'not_found', 'no such study for you');
          const result = await submitAnnotation(db, study, c.var.user, c.req.valid('json'), async (transcriptId) => {
            const run = await findDryRunScenario(db, transcriptId);
            if (!run) return null;
            const r = rubricOf(run.scenarioContent, run.variantValues);
            return { pass: r.passCriteria.length, fail: r.failCriteria.length };
          });
          if (!result.ok)
            return apiError(
              c,
              result.status,
              result.status === 422 ? 'validation_failed' : 'not_found',
              result.message,
            );
          let reveal = null;
          if (study.reveal_judge === 1) {
            const v = await findJudgement(db, result.transcriptId, study.judge_version_id);
            if (v) reveal = { score: v.score, rationale: v.rationale, passMet: v.passMet, failMet: v.failMet };
          }
          return c.json(
            { annotationId: result.annotationId, duplicate: result.duplicate, reveal },
            result.duplicate ? 200 : 201,
          );
        },
      )
      // POST /api/rate/annotation/:id/annotations/:annotationId/judge-holds
      .post(
        '/:id/annotations/:annotationId/judge-holds',
        rater,
        zValidator(
          'param',
          z.object({ id: IdParam.shape.id, annotationId: z.string().uuid() }),
          validationHook('param'),
        ),
        zValidator('json', JudgeHoldsRequestSchema, validationHook('json')),
        async (c) => {
          const { id, annotationId } = c.req.valid('param');
          const { holds, comment } = c.req.valid('json');
          if (!(await recordJudgeHolds(db, id, annotationId, c.var.user.id, holds, comment)))
            return apiError(c, 404, 'not_found', 'no such annotation of yours');
          return c.json({ recorded: true }, 200);
        },
      )
  );
}
