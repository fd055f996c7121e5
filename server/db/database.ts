import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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
import type { JudgementTable, JudgeVersionTable } from '../judge/judge.tables.ts';
import type { JudgePromotionTable } from '../calibration/calibration.tables.ts';
import type { InviteTable, SessionTable, UserTable } from '../people/people.table.ts';
import type { ScenarioTable } from '../scenarios/scenario.table.ts';
import { RedactingPlugin } from './redacting-plugin.ts';
import type {
  LeaseTable,
  RatingSkipTable,
  RealismRatingTable,
  ScenarioEditorTable,
  StudyItemTable,
  StudyRaterTable,
  StudyTable,
} from '../studies/study.tables.ts';

/** Every table, as Kysely sees it. */
export interface Database {
  scenario: ScenarioTable;
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
}

export type Db = Kysely<Database>;

/**
 * Opens (creating if needed) the SQLite database in WAL mode. synchronous=FULL because an
 * acknowledged write must survive a crash or power loss, not only a process kill. `redact` blanks
 * secret values out of every string written (see redacting-plugin.ts).
 */
export function openDatabase(path: string, opts: { redact?: Redactor } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const redact = opts.redact ?? noRedaction;
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    plugins: redact === noRedaction ? [] : [new RedactingPlugin(redact)],
  });
}
