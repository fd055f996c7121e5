import { z } from 'zod';
import { findAnnotationStudy } from '../annotation/annotation.store.ts';
import { judgeTranscripts } from '../judge/judge-many.ts';
import { findJudgeVersion } from '../judge/judge.repository.ts';
import { defineJobKind } from '../jobs/job-kind.ts';
import { studySplit } from './study-split.ts';

/** The transcripts an earlier attempt finished, and their counts. */
interface CalibrationRejudgeCheckpoint {
  judged: string[];
  scored: number;
  errors: number;
}

/**
 * Judges an annotation study's transcripts (all, or one part of its learn / held-out split) with a
 * judge version, as a background job (POST /api/calibration/rejudge). Every chosen transcript gets
 * a fresh verdict, so the checkpoint lists the ones finished: a resume judges only the rest.
 */
export const calibrationRejudgeJob = defineJobKind({
  kind: 'calibration-rejudge',
  params: z.strictObject({
    studyId: z.string(),
    judgeVersionId: z.string().uuid(),
    part: z.enum(['all', 'learn', 'heldout']),
  }),
  async run(ctx) {
    const { db, corpus, models } = ctx.services;
    const { studyId, judgeVersionId, part } = ctx.params;
    const judge = await findJudgeVersion(db, judgeVersionId);
    if (!judge) throw new Error(`no judge version ${judgeVersionId}`);
    const study = await findAnnotationStudy(db, studyId);
    if (!study) throw new Error(`no annotation study ${studyId}`);
    const split = await studySplit(db, study);
    const items = await db
      .selectFrom('annotation_item')
      .select('transcript_id')
      .where('study_id', '=', studyId)
      .execute();
    const chosen = items.map((i) => i.transcript_id).filter((id) => part === 'all' || split.get(id) === part);
    const state: CalibrationRejudgeCheckpoint = (ctx.checkpoint as CalibrationRejudgeCheckpoint | null) ?? {
      judged: [],
      scored: 0,
      errors: 0,
    };
    const finished = new Set(state.judged);
    const report = () =>
      ctx.progress(state.judged.length, chosen.length, `${state.scored} scored, ${state.errors} judge errors`);
    report();
    const outcome = await judgeTranscripts(
      db,
      corpus,
      models,
      judge,
      chosen.filter((id) => !finished.has(id)),
      {
        signal: ctx.signal,
        onJudged: async (id, ok) => {
          state.judged.push(id);
          state[ok ? 'scored' : 'errors']++;
          report();
          await ctx.saveCheckpoint(state);
        },
      },
    );
    if (outcome.problem) throw new Error(outcome.problem);
    ctx.signal.throwIfAborted();
    return { judgeVersionId, scored: state.scored, errors: state.errors, part };
  },
});
