import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import type { FewShotExample } from '../../schema/judge.ts';
import { calibrationDataVersion, loadCalibrationRows } from '../annotation/calibration-data.ts';
import type { Db } from '../db/database.ts';
import { findDryRunById } from '../dryrun/dryrun.repository.ts';
import { transcriptAsText } from '../dryrun/transcript-text.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { judgeTranscripts } from '../judge/judge-many.ts';
import { createJudgeVersion, findJudgeVersion } from '../judge/judge.repository.ts';
import { findAnnotationStudy } from '../annotation/annotation.store.ts';
import type { AnnotationStudyRow } from '../annotation/annotation.tables.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { computeCalibration, consensusScore, DEFAULT_MIN_N, thresholdSweep } from './calibration-metrics.ts';

const Ids = z.object({ studyId: z.string().regex(/^an-[a-z0-9-]{3,80}$/), judgeVersionId: z.string().uuid() });

/** The study's own rules for the human side of every comparison. */
const humanRules = (study: AnnotationStudyRow) => ({
  humanThreshold: study.human_pass_threshold,
  consensus: study.consensus,
});

export function calibrationRoutes(db: Db, corpus: ScenarioCorpus, models: ModelRegistry) {
  // Reports take a second or two on big studies; they are kept per data version (a new annotation
  // or verdict makes a new key), the most recent few only.
  const reports = new Map<string, unknown>();
  const remember = (key: string, value: unknown) => {
    reports.delete(key);
    reports.set(key, value);
    while (reports.size > 16) reports.delete(reports.keys().next().value!);
  };
  /** The study's annotated rows for a judge version, read once per data version. */
  const rowsFor = async (studyId: string, judgeVersionId: string) => {
    const key = `rows|${await calibrationDataVersion(db, studyId, judgeVersionId)}`;
    const cached = reports.get(key) as Awaited<ReturnType<typeof loadCalibrationRows>> | undefined;
    if (cached) return cached;
    const rows = await loadCalibrationRows(db, studyId, judgeVersionId);
    remember(key, rows);
    return rows;
  };
  return (
    new Hono<AuthEnv>()
      // GET /api/calibration?studyId&judgeVersionId: every metric, and the biggest disagreements
      .get('/', zValidator('query', Ids, validationHook('query')), async (c) => {
        const { studyId, judgeVersionId } = c.req.valid('query');
        const judge = await findJudgeVersion(db, judgeVersionId);
        if (!judge) return apiError(c, 404, 'not_found', 'no such judge version');
        const study = await findAnnotationStudy(db, studyId);
        if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
        const key = await calibrationDataVersion(db, studyId, judgeVersionId);
        const cached = reports.get(key);
        if (cached) return c.json(cached as never, 200);
        const rows = await rowsFor(studyId, judgeVersionId);
        const report = computeCalibration(rows, { judgeThreshold: judge.settings.passThreshold, ...humanRules(study) });
        const disagreements = rows
          .map((r) => {
            const humanMean = r.humans.reduce((s, h) => s + h.score, 0) / r.humans.length;
            return {
              transcriptId: r.id,
              scenarioId: r.scenarioId,
              category: r.category,
              behavior: r.behavior,
              judgeScore: r.judge.score,
              humanMean,
              gap: r.judge.score - humanMean,
              judgeRationale: r.judgeRationale,
              humanReasons: r.humanReasons,
            };
          })
          .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap) || a.transcriptId.localeCompare(b.transcriptId))
          .slice(0, 100);
        const body = { judge, report, disagreements, transcripts: rows.length };
        remember(key, body);
        return c.json(body, 200);
      })
      // GET /api/calibration/threshold-sweep?studyId&judgeVersionId: the judge threshold that best matches the
      // humans' pass/fail (the study's threshold and consensus, as in the report), with bootstrap intervals
      .get('/threshold-sweep', zValidator('query', Ids, validationHook('query')), async (c) => {
        const { studyId, judgeVersionId } = c.req.valid('query');
        const study = await findAnnotationStudy(db, studyId);
        if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
        const rows = await rowsFor(studyId, judgeVersionId);
        const sweep = thresholdSweep(rows, humanRules(study));
        // Ties go to the judge's current threshold, then to the stricter one.
        const current = (await findJudgeVersion(db, judgeVersionId))?.settings.passThreshold;
        const best = [...sweep].sort(
          (a, b) =>
            (b.kappa ?? -2) - (a.kappa ?? -2) ||
            (b.agreement ?? 0) - (a.agreement ?? 0) ||
            Number(b.threshold === current) - Number(a.threshold === current) ||
            b.threshold - a.threshold,
        )[0]!;
        return c.json(
          {
            sweep,
            best: best.threshold,
            transcripts: rows.length,
            humanThreshold: study.human_pass_threshold,
            minN: DEFAULT_MIN_N,
          },
          200,
        );
      })
      // POST /api/calibration/rejudge: judge every annotated transcript of a study with a (candidate) version
      .post('/rejudge', zValidator('json', Ids, validationHook('json')), async (c) => {
        const { studyId, judgeVersionId } = c.req.valid('json');
        const judge = await findJudgeVersion(db, judgeVersionId);
        if (!judge) return apiError(c, 404, 'not_found', 'no such judge version');
        const items = await db
          .selectFrom('annotation_item')
          .select('transcript_id')
          .where('study_id', '=', studyId)
          .execute();
        const { scored, errors, problem } = await judgeTranscripts(
          db,
          corpus,
          models,
          judge,
          items.map((i) => i.transcript_id),
          { signal: c.req.raw.signal },
        );
        if (problem) return apiError(c, 400, 'bad_request', problem);
        return c.json({ judgeVersionId, scored, errors }, 200);
      })
      // POST /api/calibration/few-shot: a new judge version with chosen disagreements as examples
      .post(
        '/few-shot',
        zValidator(
          'json',
          Ids.extend({
            transcriptIds: z.array(z.string().uuid()).min(1).max(20),
            reason: z.string().trim().min(1).max(2000),
          }),
          validationHook('json'),
        ),
        async (c) => {
          const { studyId, judgeVersionId, transcriptIds, reason } = c.req.valid('json');
          const base = await findJudgeVersion(db, judgeVersionId);
          if (!base) return apiError(c, 404, 'not_found', 'no such judge version');
          const rows = new Map((await loadCalibrationRows(db, studyId, judgeVersionId)).map((r) => [r.id, r]));
          const examples: FewShotExample[] = [];
          for (const id of transcriptIds) {
            const row = rows.get(id);
            const run = await findDryRunById(db, id);
            if (!row || !run)
              return apiError(
                c,
                422,
                'validation_failed',
                `transcript ${id} is not an annotated transcript of this study`,
              );
            examples.push({
              transcript: transcriptAsText(run.events, { maxChars: 4000 }),
              score: consensusScore(
                row.humans.map((h) => h.score),
                'rounded-mean',
              )!,
              rationale: row.humanReasons.map((h) => h.reason).join(' / '),
              source: `human verdict on transcript ${id} (study ${studyId})`,
            });
          }
          const version = await createJudgeVersion(db, {
            name: base.name,
            settings: { ...base.settings, fewShot: [...base.settings.fewShot, ...examples].slice(-20) },
            reason,
            createdBy: c.var.user.id,
            parentId: base.id,
          });
          return c.json(version, 201);
        },
      )
  );
}
