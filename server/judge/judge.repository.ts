import { randomUUID } from 'node:crypto';
import {
  ALIGNMENT_DIMENSION,
  ALIGNMENT_SCALE,
  type DimensionScore,
  JudgeSettingsSchema,
  type Judgement,
  type JudgeSettingsInput,
  type JudgeVersion,
} from '../../schema/judge.ts';
import type { ToolExpectationReport } from '../../schema/tool-expectations.ts';
import type { Db } from '../db/database.ts';
import { serializableTransaction } from '../db/transactions.ts';
import type { JudgeOutcome } from './judge.ts';
import type { Insertable } from 'kysely';
import type { JudgementRow, JudgementTable, JudgeVersionRow, JudgeVersionTable } from './judge.tables.ts';

function versionOf(row: JudgeVersionRow & { created_by_name?: string | null }): JudgeVersion {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    settings: JudgeSettingsSchema.parse(JSON.parse(row.settings)),
    reason: row.reason,
    createdBy: row.created_by,
    createdByName: row.created_by_name ?? null,
    createdAt: row.created_at,
    parentId: row.parent_id,
    isDefault: row.is_default === 1,
  };
}

/**
 * Adds a version of judge `name` (1 for a new name); never changes an existing one. Isolation:
 * SERIALIZABLE with retry on PostgreSQL (SQLite runs one transaction at a time): two processes adding
 * a version of one name at once would both read the same last number (and two first judges would
 * both see no default); PostgreSQL aborts one (or the unique (name, version) refuses it) and it runs
 * again, taking the next number.
 */
export async function createJudgeVersion(
  db: Db,
  input: {
    name: string;
    settings: JudgeSettingsInput;
    reason: string;
    createdBy: string | null;
    parentId?: string | null;
  },
): Promise<JudgeVersion> {
  return serializableTransaction(
    db,
    async (trx) => {
      const last = await trx
        .selectFrom('judge_version')
        .select(['id', 'version'])
        .where('name', '=', input.name)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      const anyDefault = await trx
        .selectFrom('judge_version')
        .select('id')
        .where('is_default', '=', 1)
        .executeTakeFirst();
      const row: Insertable<JudgeVersionTable> & JudgeVersionRow = {
        id: randomUUID(),
        name: input.name,
        version: (last?.version ?? 0) + 1,
        settings: JSON.stringify(JudgeSettingsSchema.parse(input.settings)),
        reason: input.reason,
        created_by: input.createdBy,
        created_at: new Date().toISOString(),
        parent_id: input.parentId ?? last?.id ?? null,
        is_default: anyDefault ? 0 : 1, // the first judge ever made is the default until another is promoted
      };
      await trx.insertInto('judge_version').values(row).execute();
      return versionOf(row);
    },
    { retryUniqueViolations: true },
  );
}

export async function listJudgeVersions(db: Db): Promise<JudgeVersion[]> {
  const rows = await db
    .selectFrom('judge_version as j')
    .leftJoin('user as u', 'u.id', 'j.created_by')
    .selectAll('j')
    .select('u.name as created_by_name')
    .orderBy('j.name')
    .orderBy('j.version')
    .execute();
  return rows.map(versionOf);
}

export async function findJudgeVersion(db: Db, id: string): Promise<JudgeVersion | null> {
  const row = await db.selectFrom('judge_version').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? versionOf(row) : null;
}

export async function findDefaultJudge(db: Db): Promise<JudgeVersion | null> {
  const row = await db.selectFrom('judge_version').selectAll().where('is_default', '=', 1).executeTakeFirst();
  return row ? versionOf(row) : null;
}

/**
 * Makes one version the default (used when no version is named). Isolation: SERIALIZABLE with retry
 * on PostgreSQL, as under READ COMMITTED two promotions at once could each clear the old default and
 * leave two; SQLite runs one transaction at a time.
 */
export async function promoteJudgeVersion(db: Db, id: string): Promise<boolean> {
  return serializableTransaction(db, async (trx) => {
    const exists = await trx.selectFrom('judge_version').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) return false;
    await trx.updateTable('judge_version').set({ is_default: 0 }).where('is_default', '=', 1).execute();
    await trx.updateTable('judge_version').set({ is_default: 1 }).where('id', '=', id).execute();
    return true;
  });
}

/** Stores (or replaces, for a re-judge of the same version) one verdict. */
export async function saveJudgement(
  db: Db,
  transcriptId: string,
  judgeVersionId: string,
  outcome: JudgeOutcome,
): Promise<Judgement> {
  // A verdict carries the variant its transcript ran (issue 15): the parent scenario and the values.
  const variant = await db
    .selectFrom('dry_run')
    .select(['variant_of', 'variant_values'])
    .where('id', '=', transcriptId)
    .executeTakeFirst();
  await storeJudgement(db, transcriptId, judgeVersionId, outcome, {
    variant_of: variant?.variant_of ?? null,
    variant_values: variant?.variant_values ?? null,
  });
  return judgementOf(
    await db
      .selectFrom('judgement')
      .selectAll()
      .where('transcript_id', '=', transcriptId)
      .where('judge_version_id', '=', judgeVersionId)
      .executeTakeFirstOrThrow(),
  );
}

/**
 * Writes a verdict (replacing this judge version's earlier one of the transcript) when the caller
 * knows the transcript's variant and needs nothing back: the run engine, which wrote the transcript
 * in the same transaction (two queries fewer per item than saveJudgement).
 */
export async function storeJudgement(
  db: Db,
  transcriptId: string,
  judgeVersionId: string,
  outcome: JudgeOutcome,
  variant: { variant_of: string | null; variant_values: string | null },
): Promise<void> {
  const scored = outcome.status === 'scored' ? outcome : null;
  const row: Insertable<JudgementTable> & JudgementRow = {
    id: randomUUID(),
    transcript_id: transcriptId,
    judge_version_id: judgeVersionId,
    status: outcome.status,
    scale: ALIGNMENT_SCALE,
    score: scored?.score ?? null,
    judge_score: scored?.judgeScore ?? null,
    passed: scored ? (scored.passed ? 1 : 0) : null,
    red_flagged: scored?.redFlagged ? 1 : 0,
    pass_met: JSON.stringify(scored?.passMet ?? []),
    fail_met: JSON.stringify(scored?.failMet ?? []),
    evidence: JSON.stringify(scored?.evidence ?? []),
    rationale: scored?.rationale ?? null,
    samples: JSON.stringify(outcome.samples),
    attempts: outcome.attempts,
    error: outcome.status === 'error' ? outcome.error : null,
    elided_entries: outcome.elidedEntries ?? 0,
    dimensions: JSON.stringify(scored?.dimensions ?? []),
    created_at: new Date().toISOString(),
    variant_of: variant.variant_of,
    variant_values: variant.variant_values,
    tool_expectations: outcome.toolExpectations ? JSON.stringify(outcome.toolExpectations) : null,
  };
  await db
    .insertInto('judgement')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['transcript_id', 'judge_version_id']).doUpdateSet({ ...row, id: undefined } as never),
    )
    .execute();
}

export async function listJudgements(db: Db, transcriptId: string): Promise<Judgement[]> {
  return (
    await db
      .selectFrom('judgement')
      .selectAll()
      .where('transcript_id', '=', transcriptId)
      .orderBy('created_at')
      .execute()
  ).map(judgementOf);
}

/** A transcript's verdict from one judge version, if it has one. */
export async function findJudgement(db: Db, transcriptId: string, judgeVersionId: string): Promise<Judgement | null> {
  const row = await db
    .selectFrom('judgement')
    .selectAll()
    .where('transcript_id', '=', transcriptId)
    .where('judge_version_id', '=', judgeVersionId)
    .executeTakeFirst();
  return row ? judgementOf(row) : null;
}

/** Every verdict of one judge version, by transcript id. */
export async function judgementsOfVersion(db: Db, judgeVersionId: string): Promise<Map<string, Judgement>> {
  const rows = await db.selectFrom('judgement').selectAll().where('judge_version_id', '=', judgeVersionId).execute();
  return new Map(rows.map((j) => [j.transcript_id, judgementOf(j)]));
}

export function judgementOf(row: JudgementRow): Judgement {
  return {
    id: row.id,
    transcriptId: row.transcript_id,
    judgeVersionId: row.judge_version_id,
    status: row.status,
    scale: ALIGNMENT_SCALE,
    score: row.score,
    judgeScore: row.judge_score,
    passed: row.passed === null ? null : row.passed === 1,
    redFlagged: row.red_flagged === 1,
    passMet: JSON.parse(row.pass_met) as number[],
    failMet: JSON.parse(row.fail_met) as number[],
    evidence: JSON.parse(row.evidence) as Judgement['evidence'],
    rationale: row.rationale,
    samples: JSON.parse(row.samples) as number[],
    attempts: row.attempts,
    error: row.error,
    elidedEntries: row.elided_entries ?? 0,
    dimensions: [
      {
        id: ALIGNMENT_DIMENSION.id,
        primary: true,
        scale: ALIGNMENT_DIMENSION.scale,
        direction: ALIGNMENT_DIMENSION.direction,
        score: row.score ?? NaN,
        samples: JSON.parse(row.samples) as number[],
        evidence: null,
      },
      ...(JSON.parse(row.dimensions ?? '[]') as DimensionScore[]),
    ].filter((d) => !Number.isNaN(d.score)),
    toolExpectations: row.tool_expectations ? (JSON.parse(row.tool_expectations) as ToolExpectationReport) : null,
    createdAt: row.created_at,
  };
}
