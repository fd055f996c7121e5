import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { PromotionReasonSchema, type FewShotExample, type JudgeVersion } from '../../schema/judge.ts';
import { calibrationDataVersion, loadCalibrationRows, type CalibrationRow } from '../annotation/calibration-data.ts';
import type { Db } from '../db/database.ts';
import { findDryRunById } from '../dryrun/dryrun.repository.ts';
import { transcriptAsText } from '../dryrun/transcript-text.ts';
import type { AuthEnv } from '../http/auth.ts';
import { apiError, validationHook } from '../http/errors.ts';
import { acceptedJob } from '../jobs/job.routes.ts';
import type { JobRunner } from '../jobs/job.runner.ts';
import { calibrationRejudgeJob } from './calibration-rejudge.job.ts';
import { createJudgeVersion, findJudgeVersion } from '../judge/judge.repository.ts';
import { findAnnotationStudy } from '../annotation/annotation.store.ts';
import type { AnnotationStudyRow } from '../annotation/annotation.tables.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { computeCalibration, DEFAULT_MIN_N, type CalibrationReport } from './calibration-metrics.ts';
import { computeCalibrationOffThread, thresholdSweepOffThread } from './calibration-thread.ts';
import { loadDimensionAgreement } from './dimension-agreement.ts';
import type { CalibrationPart } from './calibration-split.ts';
import { PRIMARY_METRIC } from './promotion-guard.ts';
import { studySplit } from './study-split.ts';
import { heldOutComparison as heldOutComparisonOf, promoteGuarded, reasonRequired } from './judge-promotion.ts';
import { annotatedTranscriptIds } from '../annotation/annotation.repository.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';

const StudyId = z.string().regex(/^an-[a-z0-9-]{3,80}$/);
const Ids = z.object({ studyId: StudyId, judgeVersionId: z.string().uuid() });
/** Which transcripts: all annotated ones, or one part of the study's learn / held-out split. */
const Part = z.enum(['all', 'learn', 'heldout']).default('all');
/** `later`: the metrics at once, without intervals (see the route). */
const Intervals = z.enum(['now', 'later']).default('now');
const Pair = z.object({ studyId: StudyId, currentId: z.string().uuid(), candidateId: z.string().uuid() });

/** The study's own rules for the human side of every comparison. */
const humanRules = (study: AnnotationStudyRow) => ({
  humanThreshold: study.human_pass_threshold,
  consensus: study.consensus,
});

/** The hundred transcripts where the judge and the humans' mean differ most, the biggest gap first. */
function biggestDisagreements(rows: CalibrationRow[], split: Map<string, CalibrationPart>) {
  return rows
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
        part: split.get(r.id) ?? ('heldout' as CalibrationPart),
        redFlags: r.redFlags,
      };
    })
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap) || a.transcriptId.localeCompare(b.transcriptId))
    .slice(0, 100);
}

export function calibrationRoutes(db: Db, corpus: ScenarioCorpus, models: ModelRegistry, jobs: JobRunner) {
  // Reports take a second or two on big studies; they are kept per data version (a new annotation
  // or verdict makes a new key), the most recent few only.
  const reports = new Map<string, unknown>();
  const remember = (key: string, value: unknown) => {
    reports.delete(key);
    reports.set(key, value);
    while (reports.size > 16) reports.delete(reports.keys().next().value!);
  };
  /** A cached value, or the one being computed for the same key (two visits at once compute it once). */
  const computing = new Map<string, Promise<unknown>>();
  const cachedOr = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    if (reports.has(key)) return Promise.resolve(reports.get(key) as T);
    let pending = computing.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = compute()
        .then((value) => (remember(key, value), value))
        .finally(() => computing.delete(key));
      computing.set(key, pending);
    }
    return pending;
  };
  /**
   * The study's annotated rows for a judge version, read once per data version (`version`: the
   * one the request already computed, so it is not read again; the promotion guard's reader does
   * not pass one).
   */
  const rowsFor = async (studyId: string, judgeVersionId: string, version?: string) =>
    cachedOr(`rows|${version ?? (await calibrationDataVersion(db, studyId, judgeVersionId))}`, () =>
      loadCalibrationRows(db, studyId, judgeVersionId),
    );
  /** The study's rows for a version, keeping only the transcripts of a part. */
  const partRows = async (
    study: AnnotationStudyRow,
    judgeVersionId: string,
    part: 'all' | CalibrationPart,
    version: string,
  ) => {
    const rows = await rowsFor(study.id, judgeVersionId, version);
    if (part === 'all') return rows;
    const split = await studySplit(db, study);
    return rows.filter((r) => split.get(r.id) === part);
  };
  /** The held-out comparison of a candidate with the current version, and what it says about promoting. */
  const heldOutComparison = (study: AnnotationStudyRow, current: JudgeVersion, candidate: JudgeVersion) =>
    heldOutComparisonOf(db, study, current, candidate, rowsFor);
  return (
    new Hono<AuthEnv>()
      // GET /api/calibration/dimensions?studyId=&judgeVersionId=: agreement on each extra dimension the study's annotators rated
      .get('/dimensions', zValidator('query', Ids, validationHook('query')), async (c) => {
        const q = c.req.valid('query');
        const dimensions = await loadDimensionAgreement(db, q.studyId, q.judgeVersionId);
        if (!dimensions) return apiError(c, 404, 'not_found', 'no such annotation study');
        return c.json({ studyId: q.studyId, judgeVersionId: q.judgeVersionId, dimensions }, 200);
      })
      // GET /api/calibration?studyId&judgeVersionId&part: every metric, and the biggest disagreements
      .get(
        '/',
        zValidator('query', Ids.extend({ part: Part, intervals: Intervals }), validationHook('query')),
        async (c) => {
          const { studyId, judgeVersionId, part: asked, intervals } = c.req.valid('query');
          const judge = await findJudgeVersion(db, judgeVersionId);
          if (!judge) return apiError(c, 404, 'not_found', 'no such judge version');
          const study = await findAnnotationStudy(db, studyId);
          if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
          // A version that learned from this study's examples is only ever measured on its held-out part.
          const learnedHere = judge.settings.fewShot.some((e) => e.source?.includes(`(study ${studyId})`));
          const part = learnedHere && asked !== 'heldout' ? 'heldout' : asked;
          const version = await calibrationDataVersion(db, studyId, judgeVersionId);
          const options = { judgeThreshold: judge.settings.passThreshold, ...humanRules(study) };
          const body = async (
            intervalsPending: boolean,
            report: (rows: CalibrationRow[]) => Promise<CalibrationReport>,
          ) => {
            // Each step holds the event loop for a while on a big study (reads of thousands of
            // rows, their scenario texts): between them, other requests (a rater's, the page's
            // sign-in check) get their turn.
            const split = await studySplit(db, study);
            await nextTurn();
            const rows = await partRows(study, judgeVersionId, part, version);
            await nextTurn();
            const parts = [...split.values()];
            return {
              judge,
              report: await report(rows),
              /** True for estimates only: the intervals are still being computed (ask without `intervals=later`). */
              intervalsPending,
              /** The data the report is of: estimates and the full report of one version go together. */
              dataVersion: version,
              disagreements: biggestDisagreements(rows, split),
              transcripts: rows.length,
              part,
              learnedHere,
              split: {
                seed: study.split_seed,
                learnShare: study.learn_share,
                learn: parts.filter((p) => p === 'learn').length,
                heldout: parts.filter((p) => p === 'heldout').length,
              },
            };
          };
          const full = () =>
            cachedOr(`${part}|${version}`, () => body(false, (rows) => computeCalibrationOffThread(rows, options)));
          // Estimates only: every metric without its intervals (resamples 0), computed at once here, so
          // the page shows the numbers while the thread bootstraps the intervals. A full report already
          // cached is the better answer.
          if (intervals === 'later' && !reports.has(`${part}|${version}`)) {
            const estimates = await cachedOr(`estimates|${part}|${version}`, () =>
              body(true, async (rows) => computeCalibration(rows, { ...options, resamples: 0 })),
            );
            // The bootstrap starts now (the page asks for it next), after the estimates: handing the
            // rows to the thread holds the event loop a while, and the page is waiting for these.
            void full().catch(() => undefined);
            return c.json(estimates, 200);
          }
          return c.json(await full(), 200);
        },
      )
      // GET /api/calibration/threshold-sweep?studyId&judgeVersionId: the judge threshold that best matches the
      // humans' pass/fail (the study's threshold and consensus, as in the report), with bootstrap intervals
      .get('/threshold-sweep', zValidator('query', Ids, validationHook('query')), async (c) => {
        const { studyId, judgeVersionId } = c.req.valid('query');
        const study = await findAnnotationStudy(db, studyId);
        if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
        // Kept per data version like the report: the page asks for it on every visit, and its
        // 4 x 1,000 resamples would hold the event loop on each one.
        const version = await calibrationDataVersion(db, studyId, judgeVersionId);
        const rows = await rowsFor(studyId, judgeVersionId, version);
        const sweep = await cachedOr(`sweep|${version}`, () => thresholdSweepOffThread(rows, humanRules(study)));
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
      // GET /api/calibration/compare?studyId&currentId&candidateId: both versions on the held-out part only,
      // with paired bootstrap intervals of every difference, and whether promoting needs a reason
      .get('/compare', zValidator('query', Pair, validationHook('query')), async (c) => {
        const { studyId, currentId, candidateId } = c.req.valid('query');
        const study = await findAnnotationStudy(db, studyId);
        const current = await findJudgeVersion(db, currentId);
        const candidate = await findJudgeVersion(db, candidateId);
        if (!study || !current || !candidate) return apiError(c, 404, 'not_found', 'no such study or judge version');
        const { comparison, guard } = await heldOutComparison(study, current, candidate);
        const heldout = [...(await studySplit(db, study)).values()].filter((p) => p === 'heldout').length;
        return c.json({ part: 'heldout' as const, heldout, primary: PRIMARY_METRIC, guard, comparison }, 200);
      })
      // POST /api/calibration/rejudge: judge the annotated transcripts of a study (all, or one part) with a
      // version; a background job (202 with it), whose result holds the counts
      .post('/rejudge', zValidator('json', Ids.extend({ part: Part }), validationHook('json')), async (c) => {
        const { studyId, judgeVersionId, part } = c.req.valid('json');
        const judge = await findJudgeVersion(db, judgeVersionId);
        if (!judge) return apiError(c, 404, 'not_found', 'no such judge version');
        const study = await findAnnotationStudy(db, studyId);
        if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
        const judgeModel = models.resolve(judge.settings.model);
        if (!judgeModel.ok) return apiError(c, 400, 'bad_request', judgeModel.message);
        const job = await jobs.enqueue(calibrationRejudgeJob, { studyId, judgeVersionId, part }, c.var.user.id);
        return acceptedJob(c, job);
      })
      // POST /api/calibration/few-shot: a new judge version with examples picked from the learn part and
      // edited by hand (score and rationale as the author settled them, never merged silently)
      .post(
        '/few-shot',
        zValidator(
          'json',
          Ids.extend({
            examples: z
              .array(
                z.strictObject({
                  transcriptId: z.string().uuid(),
                  score: z.number().int().min(1).max(5),
                  rationale: z.string().trim().min(1, 'write the rationale the judge should learn').max(4000),
                }),
              )
              .min(1)
              .max(20),
            reason: z.string().trim().min(1).max(2000),
          }),
          validationHook('json'),
        ),
        async (c) => {
          const { studyId, judgeVersionId, examples: chosen, reason } = c.req.valid('json');
          const base = await findJudgeVersion(db, judgeVersionId);
          if (!base) return apiError(c, 404, 'not_found', 'no such judge version');
          const study = await findAnnotationStudy(db, studyId);
          if (!study) return apiError(c, 404, 'not_found', 'no such annotation study');
          const split = await studySplit(db, study);
          const annotated = await annotatedTranscriptIds(db, studyId);
          const examples: FewShotExample[] = [];
          for (const [i, e] of chosen.entries()) {
            const run = await findDryRunById(db, e.transcriptId);
            if (!run || !annotated.has(e.transcriptId))
              return apiError(
                c,
                422,
                'validation_failed',
                `examples[${i}]: transcript ${e.transcriptId} is not an annotated transcript of this study`,
              );
            if (split.get(e.transcriptId) !== 'learn')
              return apiError(
                c,
                422,
                'validation_failed',
                `examples[${i}]: transcript ${e.transcriptId} is held out: candidates are scored on it, so it cannot be an example`,
              );
            examples.push({
              transcript: transcriptAsText(run.events, { maxChars: 4000 }),
              score: e.score,
              rationale: e.rationale,
              source: `human verdict on transcript ${e.transcriptId} (study ${studyId}), edited`,
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
      // POST /api/calibration/promote: make the candidate the default judge; when the held-out comparison finds
      // it worse on the primary metric (or cannot tell), only with a reason, which is recorded
      .post(
        '/promote',
        zValidator('json', Pair.extend({ reason: PromotionReasonSchema }), validationHook('json')),
        async (c) => {
          const { studyId, currentId, candidateId, reason } = c.req.valid('json');
          const study = await findAnnotationStudy(db, studyId);
          const current = await findJudgeVersion(db, currentId);
          const candidate = await findJudgeVersion(db, candidateId);
          if (!study || !current || !candidate) return apiError(c, 404, 'not_found', 'no such study or judge version');
          const outcome = await promoteGuarded(db, {
            candidate,
            current,
            study,
            reason,
            by: c.var.user.id,
            readRows: rowsFor,
          });
          if (!outcome.promoted && outcome.reason === 'reason-required') return reasonRequired(c, outcome.guard);
          if (!outcome.promoted) return apiError(c, 404, 'not_found', 'no such judge version');
          const { guard } = outcome;
          return c.json({ promoted: candidate.id, guard }, 200);
        },
      )
  );
}
