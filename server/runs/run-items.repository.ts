import { sql } from 'kysely';
import { containsWord } from '../db/sql-contains.ts';
import type { Db } from '../db/database.ts';

// The deep dive's list: a run's items with the chosen judge version's verdicts, filtered, and
// searched in the transcripts' own text (what was said, the tool calls and their results).

export interface RunItemFilter {
  model?: string;
  behavior?: string;
  minScore?: number;
  maxScore?: number;
  /** Words that must all appear in the transcript (case-insensitive, in any order). */
  q?: string;
  limit: number;
}

export async function listRunItems(db: Db, runId: string, judgeId: string | null, f: RunItemFilter) {
  let query = db
    .selectFrom('run_item as i')
    .leftJoin('judgement as j', (join) =>
      join.onRef('j.transcript_id', '=', 'i.dry_run_id').on('j.judge_version_id', '=', judgeId ?? ''),
    )
    .select([
      'i.id',
      'i.scenario_id',
      'i.category',
      'i.behavior',
      'i.model',
      'i.repeat',
      'i.status',
      'i.dry_run_id',
      'i.error',
      'j.score',
      'j.judge_score',
      'j.red_flagged',
      'j.status as judge_status',
      'j.rationale',
    ])
    .where('i.run_id', '=', runId);
  if (f.model) query = query.where('i.model', '=', f.model);
  if (f.behavior) query = query.where('i.behavior', '=', f.behavior);
  if (f.minScore) query = query.where('j.score', '>=', f.minScore);
  if (f.maxScore) query = query.where('j.score', '<=', f.maxScore);
  // Each word in some batch of the transcript's stored events (a long transcript is several
  // batches, and two words may sit in different ones). lower() on both sides: SQLite's LIKE folds
  // ASCII case only and PostgreSQL's none.
  for (const word of searchWords(f.q)) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('dry_run_event_batch as b')
          .select(sql`1`.as('one'))
          .whereRef('b.dry_run_id', '=', 'i.dry_run_id')
          .where(containsWord(sql`lower(${sql.ref('b.events')})`, word)),
      ),
    );
  }
  return query.orderBy('i.scenario_id').orderBy('i.model').orderBy('i.repeat').limit(f.limit).execute();
}

/**
 * The search's words, lower-cased, as they appear in the stored JSON: a quote or backslash is
 * escaped there, so it is searched escaped.
 */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => JSON.stringify(w).slice(1, -1));
}
