import { z } from 'zod';
import { findJudgeVersion } from '../judge/judge.repository.ts';
import { defineJobKind } from '../jobs/job-kind.ts';
import { rejudgeRun } from './rejudge.ts';

/** Counts of earlier attempts (a resume skips what they scored, so it counts them from here). */
interface RejudgeCheckpoint {
  scored: number;
  errors: number;
  /** Transcripts the version had scored before the job's first attempt. */
  skippedAtStart: number | null;
}

/**
 * Re-judges a run's transcripts with a judge version, as a background job (POST
 * /api/runs/:id/rejudge, `crucible rejudge`). Resumable: transcripts the version already scored are
 * skipped, and the checkpoint keeps the counts of the attempts before.
 */
export const rejudgeRunJob = defineJobKind({
  kind: 'rejudge-run',
  params: z.strictObject({ runId: z.string().uuid(), judgeVersionId: z.string().uuid() }),
  async run(ctx) {
    const { db, corpus, models } = ctx.services;
    const judge = await findJudgeVersion(db, ctx.params.judgeVersionId);
    if (!judge) throw new Error(`no judge version ${ctx.params.judgeVersionId}`);
    const before: RejudgeCheckpoint = (ctx.checkpoint as RejudgeCheckpoint | null) ?? {
      scored: 0,
      errors: 0,
      skippedAtStart: null,
    };
    let skippedAtStart = before.skippedAtStart;
    const result = await rejudgeRun(db, corpus, models, ctx.params.runId, judge, {
      signal: ctx.signal,
      onProgress: async (done, total, now) => {
        skippedAtStart ??= done;
        const scored = before.scored + now.scored;
        const errors = before.errors + now.errors;
        ctx.progress(done, total, `${scored} scored, ${errors} judge error${errors === 1 ? '' : 's'}`);
        // The first call (nothing judged yet) records what was already scored before the job.
        await ctx.saveCheckpoint({ scored, errors, skippedAtStart } satisfies RejudgeCheckpoint);
      },
    });
    if (result.problem) throw new Error(result.problem);
    ctx.signal.throwIfAborted();
    return {
      judgeVersionId: result.judgeVersionId,
      scored: before.scored + result.scored,
      errors: before.errors + result.errors,
      skipped: skippedAtStart ?? result.skipped,
    };
  },
});
