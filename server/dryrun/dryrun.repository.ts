import type { DryRun, DryRunSummary } from '../../schema/api/dryruns.ts';
import type { ModelParams } from '../../schema/models.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { Db } from '../db/database.ts';
import { storedVariantValues } from '../variants/scenario-variant.ts';
import type { DryRunRow, DryRunTable } from './dryrun.table.ts';

export async function insertDryRun(
  db: Db,
  run: {
    id: string;
    scenarioId: string;
    contentHash: string;
    scenarioContent: string;
    model: string;
    params: ModelParams;
    variantOf?: string | null;
    variantValues?: string | null;
  },
): Promise<void> {
  await db
    .insertInto('dry_run')
    .values({
      id: run.id,
      scenario_id: run.scenarioId,
      content_hash: run.contentHash,
      scenario_content: run.scenarioContent,
      variant_of: run.variantOf ?? null,
      variant_values: run.variantValues ?? null,
      model: run.model,
      params: JSON.stringify(run.params),
      status: 'running',
      started_at: new Date().toISOString(),
    })
    .execute();
}

/**
 * Appends events to a dry-run's saved transcript: `events` are the transcript's events from index
 * `firstIndex` on. Earlier events are never written again.
 */
export async function appendDryRunEvents(
  db: Db,
  id: string,
  firstIndex: number,
  events: readonly TranscriptEvent[],
): Promise<void> {
  await appendDryRunEventJson(
    db,
    id,
    firstIndex,
    events.map((e) => JSON.stringify(e)),
  );
}

/**
 * `appendDryRunEvents` for events already serialised one by one (a streaming dry-run has each
 * event's JSON from sending it): the batch is joined from them, not serialised again.
 */
export async function appendDryRunEventJson(
  db: Db,
  id: string,
  firstIndex: number,
  eventJson: readonly string[],
): Promise<void> {
  if (eventJson.length === 0) return;
  await db
    .insertInto('dry_run_event_batch')
    .values({ dry_run_id: id, first_index: firstIndex, events: `[${eventJson.join(',')}]` })
    .execute();
}

/** A running dry-run's red-flag count, kept current at its checkpoints (the list shows it before the run ends). */
export async function setDryRunRedFlags(db: Db, id: string, redFlags: number): Promise<void> {
  await db.updateTable('dry_run').set({ red_flags: redFlags }).where('id', '=', id).execute();
}

/** A dry-run's saved events, in order. */
export async function readDryRunEvents(db: Db, id: string): Promise<TranscriptEvent[]> {
  const batches = await db
    .selectFrom('dry_run_event_batch')
    .select('events')
    .where('dry_run_id', '=', id)
    .orderBy('first_index')
    .execute();
  return batches.flatMap((b) => JSON.parse(b.events) as TranscriptEvent[]);
}

/** The saved events of several dry-runs, each in order, read in a few queries (chunks SQLite accepts). */
export async function readEventsOfDryRuns(db: Db, ids: readonly string[]): Promise<Map<string, TranscriptEvent[]>> {
  const out = new Map<string, TranscriptEvent[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += 500) {
    const batches = await db
      .selectFrom('dry_run_event_batch')
      .select(['dry_run_id', 'events'])
      .where('dry_run_id', 'in', ids.slice(i, i + 500))
      .orderBy('dry_run_id')
      .orderBy('first_index')
      .execute();
    for (const b of batches) out.get(b.dry_run_id)!.push(...(JSON.parse(b.events) as TranscriptEvent[]));
  }
  return out;
}

/**
 * Closes a run from its events: status, totals and the first fatal error. `events` is the whole
 * transcript; the first `saved` of them were appended already, the rest are appended now.
 */
export async function finishDryRun(db: Db, id: string, events: readonly TranscriptEvent[], saved = 0): Promise<void> {
  await db.transaction().execute((trx) => closeDryRun(trx, id, events, saved));
}

/**
 * `finishDryRun` inside a transaction the caller holds (a group commit). `eventJson`, when given,
 * is each event's JSON (see appendDryRunEventJson).
 */
export async function closeDryRun(
  db: Db,
  id: string,
  events: readonly TranscriptEvent[],
  saved: number,
  eventJson: readonly string[] = events.map((e) => JSON.stringify(e)),
): Promise<void> {
  const done = events.findLast((e) => e.type === 'done');
  const fatal = events.find((e) => e.type === 'error' && e.fatal);
  const usages = events.filter((e) => e.type === 'usage');
  const firstTtft = usages.find((u) => u.ttftMs !== null)?.ttftMs ?? null;
  const set: Partial<Record<keyof DryRunTable, unknown>> = {
    status: done?.status ?? 'failed',
    finished_at: new Date().toISOString(),
    input_tokens: done?.inputTokens ?? 0,
    output_tokens: done?.outputTokens ?? 0,
    cost_usd: done?.costUsd ?? null,
    latency_ms: done?.latencyMs ?? null,
    ttft_ms: firstTtft,
    error: fatal && fatal.type === 'error' ? fatal.message : null,
    red_flags: events.filter((e) => e.type === 'red-flag').length,
  };
  await appendDryRunEventJson(db, id, saved, eventJson.slice(saved));
  await db
    .updateTable('dry_run')
    .set(set as never)
    .where('id', '=', id)
    .execute();
}

/** Runs left `running` by a crash or a kill: their partial transcripts stay, marked interrupted. */
export async function markInterruptedDryRuns(db: Db): Promise<number> {
  const result = await db
    .updateTable('dry_run')
    .set({ status: 'interrupted' })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listDryRunsByScenario(db: Db, scenarioId: string): Promise<DryRunSummary[]> {
  const rows = await db
    .selectFrom('dry_run')
    .select([
      'id',
      'scenario_id',
      'content_hash',
      'model',
      'params',
      'status',
      'started_at',
      'finished_at',
      'input_tokens',
      'output_tokens',
      'cost_usd',
      'latency_ms',
      'ttft_ms',
      'error',
      'red_flags',
      'variant_of',
      'variant_values',
    ])
    // A scenario's dry-runs include those of its variants.
    .where((eb) => eb.or([eb('scenario_id', '=', scenarioId), eb('variant_of', '=', scenarioId)]))
    .orderBy('started_at', 'desc')
    .limit(200)
    .execute();
  return rows.map(summaryOf);
}

export async function findDryRunById(db: Db, id: string): Promise<DryRun | null> {
  const row = await db.selectFrom('dry_run').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? { ...summaryOf(row), scenarioContent: row.scenario_content, events: await readDryRunEvents(db, id) }
    : null;
}

/** A transcript's scenario text and variant, without its events (what counting its criteria needs). */
export async function findDryRunScenario(
  db: Db,
  id: string,
): Promise<{ scenarioContent: string; variantValues: DryRunSummary['variantValues'] } | null> {
  const row = await db
    .selectFrom('dry_run')
    .select(['scenario_content', 'variant_values'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { scenarioContent: row.scenario_content, variantValues: storedVariantValues(row.variant_values) } : null;
}

export async function deleteDryRun(db: Db, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('dry_run')
    .where('id', '=', id)
    .where('status', '!=', 'running')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function summaryOf(row: Omit<DryRunRow, 'scenario_content' | 'run_id' | 'cache_key'>): DryRunSummary {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    contentHash: row.content_hash,
    model: row.model,
    params: JSON.parse(row.params) as ModelParams,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    error: row.error,
    redFlags: row.red_flags,
    variantOf: row.variant_of,
    variantValues: storedVariantValues(row.variant_values),
  };
}
