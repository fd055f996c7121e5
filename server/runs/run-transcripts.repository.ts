import type { Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DryRunTable } from '../dryrun/dryrun.table.ts';

// The transcripts a run makes and reuses: a run's transcript is a dry_run row with its run_id and
// a cache key (the scenario text, variant values, model, params and repeat hashed), so a later run
// with the cache on can take a finished one instead of calling the model again.

/** A finished transcript made under this cache key, if any: its id and what it cost. */
export async function findCachedTranscript(db: Db, cacheKey: string) {
  return db
    .selectFrom('dry_run')
    .select(['id', 'input_tokens', 'output_tokens', 'cost_usd'])
    .where('cache_key', '=', cacheKey)
    .where('status', '=', 'completed')
    .executeTakeFirst();
}

/** Stores a run item's finished transcript row (its events are appended separately). */
export async function insertRunTranscript(db: Db, row: Insertable<DryRunTable>): Promise<void> {
  await db.insertInto('dry_run').values(row).execute();
}

/** Whether this judge version has already scored the transcript (an error verdict does not count). */
export async function hasScoredVerdict(db: Db, transcriptId: string, judgeVersionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('judgement')
    .select('id')
    .where('transcript_id', '=', transcriptId)
    .where('judge_version_id', '=', judgeVersionId)
    .where('status', '=', 'scored')
    .executeTakeFirst();
  return row !== undefined;
}
