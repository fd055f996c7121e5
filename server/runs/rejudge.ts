import type { JudgeVersion } from '../../schema/judge.ts';
import type { Db } from '../db/database.ts';
import { judgeTranscripts } from '../judge/judge-many.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';

/**
 * Judges every finished transcript of a run with another judge version; the target models are not
 * called. Transcripts this version already scored are skipped, so running it again after a crash
 * goes on where it stopped (the re-judge job, rejudge.job.ts, relies on it).
 */
export async function rejudgeRun(
  db: Db,
  corpus: ScenarioCorpus,
  models: ModelRegistry,
  runId: string,
  judge: JudgeVersion,
  opts: {
    signal?: AbortSignal;
    /** Progress: transcripts settled (skipped ones included) of the run's finished items. */
    onProgress?: (done: number, total: number, outcome: { scored: number; errors: number }) => void | Promise<void>;
  } = {},
) {
  const items = await db
    .selectFrom('run_item')
    .select('dry_run_id')
    .where('run_id', '=', runId)
    .where('status', '=', 'done')
    .execute();
  const already = new Set(
    (
      await db
        .selectFrom('judgement')
        .select('transcript_id')
        .where('judge_version_id', '=', judge.id)
        .where('status', '=', 'scored')
        .execute()
    ).map((r) => r.transcript_id),
  );
  const todo = items.map((i) => i.dry_run_id!).filter((id) => !already.has(id));
  const skipped = items.length - todo.length;
  const counts = { scored: 0, errors: 0 };
  await opts.onProgress?.(skipped, items.length, counts);
  const result = await judgeTranscripts(db, corpus, models, judge, todo, {
    concurrency: 8,
    signal: opts.signal,
    onJudged: (_id, ok) => {
      counts[ok ? 'scored' : 'errors']++;
      return opts.onProgress?.(skipped + counts.scored + counts.errors, items.length, counts);
    },
  });
  return { judgeVersionId: judge.id, ...result, skipped };
}
