import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RunSettingsSchema,
  type CreateRunRequest,
  type RunProgress,
  type RunSettings,
  type RunSummary,
} from '../../schema/api/runs.ts';
import type { Db } from '../db/database.ts';
import { findDefaultJudge } from '../judge/judge.repository.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { listScenarios } from '../scenarios/scenario.repository.ts';
import { validatedScenarioIds } from '../studies/validated.ts';
import type { RunTable } from './run.tables.ts';

export type CreateRunResult = { ok: true; id: string; items: number } | { ok: false; message: string };

/**
 * A run over the scenarios the filter selects (validated ones by default), each model and repeat.
 * The scenario text is copied into each item: the run measures the versions it started with.
 */
export async function createRun(
  db: Db,
  corpus: ScenarioCorpus,
  req: CreateRunRequest,
  createdBy: string | null,
): Promise<CreateRunResult> {
  const settings = RunSettingsSchema.parse(req.settings);
  const { scope, ...filter } = settings.filter;
  const listed = await listScenarios(db, {
    ...filter,
    status: scope === 'ready' ? 'ready' : undefined,
    limit: 20000,
    offset: 0,
  });
  let scenarios = listed.items.filter((s) => s.errorCount === 0 && s.status !== 'retired');
  if (scope === 'validated') {
    const validated = await validatedScenarioIds(db);
    scenarios = scenarios.filter((s) => validated.has(s.id));
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
    for (const s of scenarios) {
      const content = readFileSync(join(corpus.root, ...s.relPath.split('/')), 'utf8');
      for (const model of settings.models) {
        for (let repeat = 0; repeat < settings.repeats; repeat++) {
          await trx
            .insertInto('run_item')
            .values({
              id: randomUUID(),
              run_id: id,
              scenario_id: s.id,
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
            })
            .execute();
        }
      }
    }
  });
  return { ok: true, id, items: scenarios.length * settings.models.length * settings.repeats };
}

export async function findRun(db: Db, id: string): Promise<RunTable | undefined> {
  return db.selectFrom('run').selectAll().where('id', '=', id).executeTakeFirst();
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

export function settingsOf(run: RunTable): RunSettings {
  return RunSettingsSchema.parse(JSON.parse(run.settings));
}

/** Counts, tokens and cost per model, rate and time left (from items finished in the last minutes). */
export async function runProgress(db: Db, run: RunTable): Promise<RunProgress> {
  const items = await db
    .selectFrom('run_item')
    .select(['status', 'cached', 'model', 'input_tokens', 'output_tokens', 'cost_usd', 'finished_at'])
    .where('run_id', '=', run.id)
    .execute(); // a few thousand small rows: cheaper than six aggregate queries
  const count = (status: string) => items.filter((i) => i.status === status).length;
  const tokens: RunProgress['tokens'] = {};
  for (const i of items) {
    const t = (tokens[i.model] ??= { input: 0, output: 0, costUsd: null });
    t.input += i.input_tokens;
    t.output += i.output_tokens;
    if (i.cost_usd !== null) t.costUsd = (t.costUsd ?? 0) + i.cost_usd;
  }
  const windowStart = Date.now() - 2 * 60_000;
  const recent = items.filter((i) => i.finished_at && Date.parse(i.finished_at) >= windowStart && !i.cached).length;
  const started = run.started_at ? Date.parse(run.started_at) : null;
  const spanMinutes = started ? Math.min(2, (Date.now() - started) / 60_000) : 0;
  const itemsPerMinute = spanMinutes > 0.05 ? recent / spanMinutes : null;
  const left = items.length - count('done') - count('failed');
  return {
    total: items.length,
    done: count('done'),
    failed: count('failed'),
    running: count('running'),
    cached: items.filter((i) => i.cached).length,
    retries: run.retries,
    itemsPerMinute,
    secondsLeft: itemsPerMinute && itemsPerMinute > 0 ? (left / itemsPerMinute) * 60 : null,
    tokens,
  };
}

/** A run with its progress; `running` is the engine's count of items in flight (not stored). */
export async function runSummary(db: Db, run: RunTable, running = 0): Promise<RunSummary> {
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
