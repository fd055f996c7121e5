import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type {
  AnnotationItemTable,
  AnnotationLeaseTable,
  AnnotationRaterTable,
  AnnotationStudyTable,
  AnnotationTable,
} from '../annotation/annotation.tables.ts';
import type { DryRunEventBatchTable, DryRunTable } from '../dryrun/dryrun.table.ts';
import { noRedaction, type Redactor } from '../models/redact.ts';
import type { RunItemTable, RunTable } from '../runs/run.tables.ts';
import type {
  CombinedLeaderboardRunTable,
  CombinedLeaderboardTable,
} from '../leaderboards/combined-leaderboard.tables.ts';
import type { JudgementTable, JudgeVersionTable } from '../judge/judge.tables.ts';
import type { JudgePromotionTable } from '../calibration/calibration.tables.ts';
import type { InviteTable, SessionTable, UserTable } from '../people/people.table.ts';
import type { ScenarioTable } from '../scenarios/scenario.table.ts';
import type { ScenarioSearchVocabTable, ScenarioSearchWordTable } from '../scenarios/search-word.table.ts';
import type { BenchmarkReleaseTable } from '../releases/release.tables.ts';
import type { ExternalScoreTable, ImportedTranscriptTable } from '../import/transcript.tables.ts';
import { RedactingPlugin } from './redacting-plugin.ts';
import { parseDatabaseTarget, type DatabaseTarget } from './database-target.ts';
import type {
  LeaseTable,
  RatingSkipTable,
  RealismRatingRevisionTable,
  RealismRatingTable,
  ScenarioEditorTable,
  StudyItemTable,
  StudyRaterTable,
  StudyTable,
} from '../studies/study.tables.ts';

/** Every table, as Kysely sees it. */
export interface Database {
  scenario: ScenarioTable;
  scenario_search_word: ScenarioSearchWordTable;
  scenario_search_vocab: ScenarioSearchVocabTable;
  dry_run: DryRunTable;
  dry_run_event_batch: DryRunEventBatchTable;
  user: UserTable;
  session: SessionTable;
  invite: InviteTable;
  study: StudyTable;
  study_item: StudyItemTable;
  study_rater: StudyRaterTable;
  lease: LeaseTable;
  realism_rating: RealismRatingTable;
  realism_rating_revision: RealismRatingRevisionTable;
  rating_skip: RatingSkipTable;
  scenario_editor: ScenarioEditorTable;
  judge_version: JudgeVersionTable;
  judgement: JudgementTable;
  judge_promotion: JudgePromotionTable;
  annotation_study: AnnotationStudyTable;
  annotation_item: AnnotationItemTable;
  annotation_rater: AnnotationRaterTable;
  annotation_lease: AnnotationLeaseTable;
  annotation: AnnotationTable;
  run: RunTable;
  run_item: RunItemTable;
  combined_leaderboard: CombinedLeaderboardTable;
  combined_leaderboard_run: CombinedLeaderboardRunTable;
  imported_transcript: ImportedTranscriptTable;
  external_score: ExternalScoreTable;
  benchmark_release: BenchmarkReleaseTable;
}

export type Db = Kysely<Database>;

/**
 * Opens the database `CRUCIBLE_DB` names (a SQLite file path or a `postgres://` URL, see
 * database-target.ts). `redact` blanks secret values out of every string written (see
 * redacting-plugin.ts).
 */
export function openDatabase(target: string | DatabaseTarget, opts: { redact?: Redactor } = {}): Db {
  const t = typeof target === 'string' ? parseDatabaseTarget(target) : target;
  const redact = opts.redact ?? noRedaction;
  return new Kysely<Database>({
    dialect: t.kind === 'sqlite' ? sqliteDialect(t.path) : postgresDialect(t.url),
    plugins: redact === noRedaction ? [] : [new RedactingPlugin(redact)],
  });
}

/**
 * SQLite in WAL mode. synchronous=FULL because an acknowledged write must survive a crash or power
 * loss, not only a process kill.
 */
function sqliteDialect(path: string): Dialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: withStatementCache(sqlite) });
}

/** Prepared statements kept per database, by SQL text; the least recently used go first. */
const STATEMENTS_KEPT = 1000;

/**
 * better-sqlite3 keeping its prepared statements: Kysely prepares every query it runs, and for the
 * short queries of a rater's request preparing took as long as running (bench/rating-load.bench.ts).
 * A statement still being iterated (a stream) is busy: the query then gets a fresh one.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const known = kept.get(sql);
      if (known && !known.busy) {
        kept.delete(sql);
        kept.set(sql, known);
        return known;
      }
      const statement = sqlite.prepare(sql);
      if (known) return statement;
      if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(sql, statement);
      return statement;
    },
  };
}

// pg returns bigint (count(*), sum of integers) and numeric (avg) as strings, to keep precision
// past 2^53; every such value here is a count or a mean, so the code reads numbers on both backends.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function postgresDialect(url: string): Dialect {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}
