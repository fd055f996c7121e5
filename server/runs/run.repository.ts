import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Insertable } from 'kysely';
import { join } from 'node:path';
import {
  RunSettingsSchema,
  type CreateRunRequest,
  type RunProgress,
  type RunSettings,
  type RunSummary,
  type TokenUsage,
} from '../../schema/api/runs.ts';
import type { Db } from '../db/database.ts';
import { findDefaultJudge } from '../judge/judge.repository.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { listEveryScenario } from '../scenarios/every-scenario.ts';
import { validatedScenarioIds } from '../studies/validated.ts';
import { variantRowsOfFile } from '../variants/scenario-variant.ts';
import type { RunItemTable, RunRow } from './run.tables.ts';

export type CreateRunResult = { ok: true; id: string; items: number } | { ok: false; message: string };

/** Items inserted per statement (21 columns: well under SQLite's 32,766 variables). */
const ITEM_CHUNK = 500;

/**
 * A run over the scenarios the filter selects (validated ones by default), each model and repeat,
 * however many there are: the scenarios are listed page by page and the items inserted in chunks,
 * all in one transaction (a run has all its items or does not exist). The scenario text is copied
 * into each item: the run measures the versions it started with.
 */
export async function createRun(
  db: Db,
  corpus: ScenarioCorpus,
  req: CreateRunRequest,
  createdBy: string | null,
): Promise<CreateRunResult> {
  const settings = RunSettingsSchema.parse(req.settings);
  const { scope, ...filter } = settings.filter;
  const listed = await listEveryScenario(db, { ...filter, status: scope === 'ready' ? 'ready' : undefined });
  let scenarios = listed.filter((s) => s.errorCount === 0 && s.status !== 'retired');
  if (scope === 'validated') {
    const validated = await validatedScenarioIds(db);
    scenarios = scenarios.filter((s) => validated.has(s.id));
  }
  if (settings.scenarioIds) {
    const found = new Set(scenarios.map((s) => s.id));
    const missing = settings.scenarioIds.filter((id) => !found.has(id));
    if (missing.length)
      return {
        ok: false,
        message: `${missing.length} scenario(s) not in the corpus, retired or invalid: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`,
      };
    const wanted = new Set(settings.scenarioIds);
    scenarios = scenarios.filter((s) => wanted.has(s.id));
  }
  if (scenarios.length === 0) {
    return {
      ok: false,
      message:
        scope === 'validated'
          ? 'no validated scenario matches: run a realism study first, or choose scope "ready" or "all"'
          : 'no scenario matches the filter',
    };
  }
  const judgeVersionId = settings.judgeVersionId ?? (await findDefaultJudge(db))?.id ?? null;
  const id = randomUUID();
  let itemCount = 0;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('run')
      .values({
        id,
        name: req.name,
        status: 'queued',
        settings: JSON.stringify(settings),
        judge_version_id: judgeVersionId,
        retries: 0,
        created_by: createdBy,
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
      })
      .execute();
    let chunk: Insertable<RunItemTable>[] = [];
    const flush = async () => {
      if (chunk.length > 0) await trx.insertInto('run_item').values(chunk).execute();
      chunk = [];
    };
    for (const s of scenarios) {
      const content = readFileSync(join(corpus.root, ...s.relPath.split('/')), 'utf8');
      // A scenario with variables is run as each of its variants, an item of its own (issue 15).
      for (const variant of variantRowsOfFile(content, s.id, corpus.taxonomy)) {
        itemCount += settings.models.length * settings.repeats;
        for (const model of settings.models) {
          for (let repeat = 0; repeat < settings.repeats; repeat++) {
            chunk.push({
              id: randomUUID(),
              run_id: id,
              ...variant,
              content_hash: s.hash,
              scenario_content: content,
              category: s.category,
              behavior: s.behavior,
              model,
              repeat,
              status: 'pending',
              dry_run_id: null,
              attempts: 0,
              cached: 0,
              error: null,
              input_tokens: 0,
              output_tokens: 0,
              cost_usd: null,
              finished_at: null,
            });
            if (chunk.length >= ITEM_CHUNK) await flush();
          }
        }
      }
    }
    await flush();
  });
  return { ok: true, id, items: itemCount };
}

export async function findRun(db: Db, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('run').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every run, newest first. */
export async function listRuns(db: Db): Promise<RunRow[]> {
  return db.selectFrom('run').selectAll().orderBy('created_at', 'desc').execute();
}

/** The ids of the runs that are running now. */
export async function runningRunIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('run').select('id').where('status', '=', 'running').execute()).map((r) => r.id);
}

/** Marks a run running (again): its first start time is kept, a finish time cleared. */
export async function markRunRunning(db: Db, run: RunRow): Promise<void> {
  await db
    .updateTable('run')
    .set({ status: 'running', started_at: run.started_at ?? new Date().toISOString(), finished_at: null })
    .where('id', '=', run.id)
    .execute();
}

/** Marks a running run stopped; false when it was not running. */
export async function markRunStopped(db: Db, runId: string): Promise<boolean> {
  const r = await db
    .updateTable('run')
    .set({ status: 'stopped', finished_at: new Date().toISOString() })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Records how a run ended. `onlyIfRunning`: unless something else (a server's stop) changed it
 * first; a worker ends a run only so.
 */
export async function finishRun(
  db: Db,
  runId: string,
  status: RunRow['status'],
  opts: { onlyIfRunning?: boolean } = {},
): Promise<void> {
  let update = db.updateTable('run').set({ status, finished_at: new Date().toISOString() }).where('id', '=', runId);
  if (opts.onlyIfRunning) update = update.where('status', '=', 'running');
  await update.execute();
}

/** Puts a run's failed items back in the queue (their attempts start again). */
export async function requeueFailedItems(db: Db, runId: string): Promise<number> {
  const r = await db
    .updateTable('run_item')
    .set({ status: 'pending', attempts: 0, error: null })
    .where('run_id', '=', runId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A run's items that failed, or wait to be tried again after a transient fault, with their last error. */
export async function listItemErrors(db: Db, runId: string, limit: number) {
  return db
    .selectFrom('run_item')
    .select(['id', 'scenario_id', 'model', 'repeat', 'status', 'attempts', 'error', 'finished_at'])
    .where('run_id', '=', runId)
    .where((eb) =>
      eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'pending'), eb('error', 'is not', null)])]),
    )
    .orderBy('scenario_id')
    .orderBy('model')
    .orderBy('repeat')
    .limit(limit)
    .execute();
}

export function settingsOf(run: RunRow): RunSettings {
  return RunSettingsSchema.parse(JSON.parse(run.settings));
}

/** Counts, tokens and cost per model, rate and time left (from items finished in the last minutes). */
export async function runProgress(db: Db, run: RunRow): Promise<RunProgress> {
  // Aggregated in SQL, a row per model, status and cache flag: a run's progress is read every second
  // while it runs, and reading every item into JS each time would cost more the bigger the run.
  const windowStart = new Date(Date.now() - 2 * 60_000).toISOString();
  const groups = await db
    .selectFrom('run_item')
    .select(['model', 'status', 'cached', 'judge_model'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('input_tokens').as('input'),
      eb.fn.sum<number>('output_tokens').as('output'),
      eb.fn.sum<number | null>('cost_usd').as('cost'),
      eb.fn.sum<number>('judge_input_tokens').as('judge_input'),
      eb.fn.sum<number>('judge_output_tokens').as('judge_output'),
      eb.fn.sum<number | null>('judge_cost_usd').as('judge_cost'),
      eb.fn.sum<number>(eb.case().when('finished_at', '>=', windowStart).then(1).else(0).end()).as('recent'),
    ])
    .where('run_id', '=', run.id)
    .groupBy(['model', 'status', 'cached', 'judge_model'])
    .execute();
  const count = (status: string) => groups.reduce((n, g) => n + (g.status === status ? Number(g.n) : 0), 0);
  const tokens: RunProgress['tokens'] = {};
  const judgeTokens: RunProgress['judgeTokens'] = {};
  const totalTokens: TokenUsage = { input: 0, output: 0, costUsd: null };
  const add = (t: TokenUsage, input: number, output: number, cost: number | null) => {
    t.input += Number(input);
    t.output += Number(output);
    if (cost !== null) t.costUsd = (t.costUsd ?? 0) + Number(cost);
  };
  for (const g of groups) {
    add((tokens[g.model] ??= { input: 0, output: 0, costUsd: null }), g.input, g.output, g.cost);
    add(totalTokens, g.input, g.output, g.cost);
    if (g.judge_model === null) continue;
    add(
      (judgeTokens[g.judge_model] ??= { input: 0, output: 0, costUsd: null }),
      g.judge_input,
      g.judge_output,
      g.judge_cost,
    );
    add(totalTokens, g.judge_input, g.judge_output, g.judge_cost);
  }
  const total = groups.reduce((n, g) => n + Number(g.n), 0);
  const recent = groups.reduce((n, g) => n + (g.cached ? 0 : Number(g.recent)), 0);
  const started = run.started_at ? Date.parse(run.started_at) : null;
  const spanMinutes = started ? Math.min(2, (Date.now() - started) / 60_000) : 0;
  const itemsPerMinute = spanMinutes > 0.05 ? recent / spanMinutes : null;
  const left = total - count('done') - count('failed');
  return {
    total,
    done: count('done'),
    failed: count('failed'),
    running: count('running'),
    cached: groups.reduce((n, g) => n + (g.cached ? Number(g.n) : 0), 0),
    retries: run.retries,
    itemsPerMinute,
    secondsLeft: itemsPerMinute && itemsPerMinute > 0 ? (left / itemsPerMinute) * 60 : null,
    tokens,
    judgeTokens,
    totalTokens,
  };
}

/** A run with its progress; `running` is the engine's count of items in flight (not stored). */
export async function runSummary(db: Db, run: RunRow, running = 0): Promise<RunSummary> {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    settings: settingsOf(run),
    judgeVersionId: run.judge_version_id,
    createdAt: run.created_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    progress: { ...(await runProgress(db, run)), running },
  };
}
