import { randomUUID } from 'node:crypto';
import { RealismRecordSchema, type RealismRecord } from '../../schema/api/studies.ts';
import type { Db } from '../db/database.ts';
import { createUser } from '../people/people.repository.ts';
import { createStudy, findStudy, type StudyRow } from './study.repository.ts';
import { storedVariantValues } from '../variants/scenario-variant.ts';
import { seesSameView } from './rated-version.ts';

// annotations/realism-<study>.jsonl: one rating per line, self-contained (study rule, scenario id
// and content hash, rater pseudonym, scale), so a fresh instance can recompute every result. Each
// rating also carries what its rater saw (the rater-view hash) and whether the scenario's view has
// changed since (stale), so a reviewer can tell ratings of an older version apart.

export async function realismRecords(db: Db, study: StudyRow): Promise<RealismRecord[]> {
  const items = new Map(
    (await db.selectFrom('study_item').selectAll().where('study_id', '=', study.id).execute()).map((i) => [
      i.scenario_id,
      i,
    ]),
  );
  const rows = await db
    .selectFrom('realism_rating as r')
    .innerJoin('user as u', 'u.id', 'r.rater_id')
    .select([
      'r.scenario_id',
      'r.content_hash',
      'r.category',
      'r.behavior',
      'r.realism',
      'r.flags',
      'r.comment',
      'r.leased_at',
      'r.created_at',
      'u.pseudonym',
      'r.variant_of',
      'r.variant_values',
      'r.rater_view_hash',
    ])
    .where('r.study_id', '=', study.id)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  const head = {
    id: study.id,
    name: study.name,
    ratersPerItem: study.raters_per_item,
    minRatings: study.min_ratings,
    minMean: study.min_mean,
    maxAttentionFailures: study.max_attention_failures,
  };
  // What raters see of each scenario now, to tell stale ratings (the rule of the study's results).
  const scenarioIds = [...new Set(rows.map((r) => r.scenario_id))];
  const now = new Map(
    (scenarioIds.length
      ? await db
          .selectFrom('scenario')
          .select(['id', 'content_hash', 'rater_view_hash'])
          .where('id', 'in', scenarioIds)
          .execute()
      : []
    ).map((s) => [s.id, s]),
  );
  const records: RealismRecord[] = rows.map((r) => {
    const item = items.get(r.scenario_id);
    const scenario = now.get(r.scenario_id);
    return {
      type: 'realism-rating',
      study: head,
      scenarioId: r.scenario_id,
      contentHash: r.content_hash,
      category: r.category,
      behavior: r.behavior,
      gold:
        item && item.gold_min !== null && item.gold_max !== null ? { min: item.gold_min, max: item.gold_max } : null,
      rater: r.pseudonym,
      realism: r.realism,
      scale: 'realism-1-5-higher-more-realistic',
      flags: JSON.parse(r.flags) as RealismRecord['flags'],
      comment: r.comment,
      leasedAt: r.leased_at,
      ratedAt: r.created_at,
      ...(r.variant_of ? { variantOf: r.variant_of, variantValues: storedVariantValues(r.variant_values) ?? {} } : {}),
      raterViewHash: r.rater_view_hash,
      stale: scenario !== undefined && !seesSameView(scenario, r),
    };
  });
  return records;
}

export const toJsonl = (records: readonly unknown[]) =>
  records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');

const CSV_COLUMNS = [
  'study_id',
  'scenario_id',
  'content_hash',
  'category',
  'behavior',
  'rater',
  'realism',
  'flags',
  'comment',
  'gold_min',
  'gold_max',
  'leased_at',
  'rated_at',
  'variant_of',
  'variant_values',
  'rater_view_hash',
  'stale',
] as const;

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it. */
export function toCsv(records: readonly RealismRecord[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = records.map((r) =>
    [
      r.study.id,
      r.scenarioId,
      r.contentHash,
      r.category,
      r.behavior,
      r.rater,
      r.realism,
      r.flags.map((f) => (f.turn !== undefined ? `${f.kind}:${f.turn}` : f.kind)).join(' '),
      r.comment,
      r.gold?.min,
      r.gold?.max,
      r.leasedAt,
      r.ratedAt,
      r.variantOf,
      r.variantValues && JSON.stringify(r.variantValues),
      r.raterViewHash,
      r.stale,
    ]
      .map(cell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export type ImportResult =
  { ok: true; studyId: string; ratings: number } | { ok: false; message: string; line?: number };

/**
 * Loads an exported file into this instance as a closed study: its items, gold ranges, raters (by
 * pseudonym) and ratings. Every line is checked before anything is written.
 */
export async function importRealism(db: Db, jsonl: string, importedBy: string | null): Promise<ImportResult> {
  const records: RealismRecord[] = [];
  const lines = jsonl.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, message: `line ${i + 1}: not JSON`, line: i + 1 };
    }
    const parsed = RealismRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, message: `line ${i + 1}: ${issue.path.join('.')}: ${issue.message}`, line: i + 1 };
    }
    records.push(parsed.data);
  }
  if (records.length === 0) return { ok: false, message: 'the file has no ratings' };
  const studyIds = new Set(records.map((r) => r.study.id));
  if (studyIds.size > 1)
    return { ok: false, message: `the file mixes ${studyIds.size} studies; import one study per file` };
  const head = records[0]!.study;
  const id = (await findStudy(db, head.id)) ? `${head.id}-imported-${randomUUID().slice(0, 6)}` : head.id;

  const scenarioIds = [...new Set(records.map((r) => r.scenarioId))];
  await createStudy(
    db,
    {
      name: head.name,
      instructions: 'Imported from an export.',
      ratersPerItem: head.ratersPerItem,
      batchSize: 20,
      minRatings: head.minRatings,
      minMean: head.minMean,
      maxAttentionFailures: head.maxAttentionFailures,
      anchors: {
        1: 'Clearly artificial',
        2: 'Mostly unrealistic',
        3: 'Plausible but off',
        4: 'Realistic',
        5: 'Indistinguishable from real',
      },
      filter: {},
    },
    scenarioIds,
    importedBy,
    id,
  );
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('study').set({ status: 'closed' }).where('id', '=', id).execute();
    for (const r of records) {
      if (r.gold)
        await trx
          .updateTable('study_item')
          .set({ gold_min: r.gold.min, gold_max: r.gold.max })
          .where('study_id', '=', id)
          .where('scenario_id', '=', r.scenarioId)
          .execute();
    }
  });
  const raterIds = new Map<string, string>();
  for (const pseudonym of new Set(records.map((r) => r.rater))) {
    const existing = await db.selectFrom('user').select('id').where('pseudonym', '=', pseudonym).executeTakeFirst();
    if (existing) raterIds.set(pseudonym, existing.id);
    else {
      const user = await createUser(db, { role: 'rater', kind: 'invite', name: `${pseudonym} (imported)` });
      await db.updateTable('user').set({ pseudonym }).where('id', '=', user.id).execute();
      raterIds.set(pseudonym, user.id);
    }
  }
  await db.transaction().execute(async (trx) => {
    for (const r of records) {
      await trx
        .insertInto('realism_rating')
        .values({
          id: randomUUID(),
          study_id: id,
          scenario_id: r.scenarioId,
          content_hash: r.contentHash,
          category: r.category,
          behavior: r.behavior,
          rater_id: raterIds.get(r.rater)!,
          realism: r.realism,
          scale: r.scale,
          flags: JSON.stringify(r.flags),
          comment: r.comment,
          leased_at: r.leasedAt,
          created_at: r.ratedAt,
          variant_of: r.variantOf ?? null,
          variant_values: r.variantValues ? JSON.stringify(r.variantValues) : null,
          rater_view_hash: r.raterViewHash ?? null,
        })
        .execute();
    }
  });
  return { ok: true, studyId: id, ratings: records.length };
}
