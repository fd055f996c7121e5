import { randomUUID } from 'node:crypto';
import type { CombinedLeaderboard, LeaderboardSummary } from '../../schema/api/leaderboards.ts';
import type { Db } from '../db/database.ts';
import { findJudgeVersion } from '../judge/judge.repository.ts';
import type { ModelRegistry } from '../models/model.registry.ts';
import { buildLeaderboard, scoredItems, type ScoredItem } from '../runs/leaderboard.ts';
import { runProfile, whyNotComparable, type RunProfile } from './run-comparability.ts';

export async function listLeaderboards(db: Db): Promise<LeaderboardSummary[]> {
  const boards = await db.selectFrom('combined_leaderboard').selectAll().orderBy('created_at', 'desc').execute();
  const runs = await db.selectFrom('combined_leaderboard_run').select(['leaderboard_id', 'run_id']).execute();
  const models = await db
    .selectFrom('combined_leaderboard_run as l')
    .innerJoin('run_item as i', 'i.run_id', 'l.run_id')
    .select(['l.leaderboard_id', 'i.model'])
    .distinct()
    .execute();
  return boards.map((b) => ({
    id: b.id,
    name: b.name,
    createdAt: b.created_at,
    runs: runs.filter((r) => r.leaderboard_id === b.id).length,
    models: models.filter((m) => m.leaderboard_id === b.id).length,
  }));
}

/** The profiles of a leaderboard's runs, the first added first (it sets the terms). */
export async function boardProfiles(db: Db, boardId: string): Promise<RunProfile[]> {
  const runs = await db
    .selectFrom('combined_leaderboard_run')
    .select('run_id')
    .where('leaderboard_id', '=', boardId)
    .orderBy('added_at')
    .orderBy('run_id')
    .execute();
  return (await Promise.all(runs.map((r) => runProfile(db, r.run_id)))).filter((p): p is RunProfile => p !== null);
}

export type AddRunResult = { ok: true } | { ok: false; status: 404 | 409; message: string };

/** Puts a run on a leaderboard if it is comparable with the runs there; otherwise says why not. */
export async function addRunToBoard(db: Db, boardId: string, runId: string): Promise<AddRunResult> {
  const run = await runProfile(db, runId);
  if (!run) return { ok: false, status: 404, message: 'no such run' };
  const problem = await whyNotComparable(db, await boardProfiles(db, boardId), run);
  if (problem) return { ok: false, status: 409, message: `run "${run.name}" cannot join this leaderboard: ${problem}` };
  await db
    .insertInto('combined_leaderboard_run')
    .values({ leaderboard_id: boardId, run_id: runId, added_at: new Date().toISOString() })
    .execute();
  return { ok: true };
}

export async function createLeaderboard(
  db: Db,
  name: string,
  runId: string,
  createdBy: string | null,
): Promise<{ ok: true; id: string } | { ok: false; status: 404 | 409; message: string }> {
  const run = await runProfile(db, runId);
  if (!run) return { ok: false, status: 404, message: 'no such run' };
  const problem = await whyNotComparable(db, [], run);
  if (problem) return { ok: false, status: 409, message: `run "${run.name}" cannot start a leaderboard: ${problem}` };
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('combined_leaderboard')
      .values({ id, name, created_by: createdBy, created_at: new Date().toISOString() })
      .execute();
    await trx
      .insertInto('combined_leaderboard_run')
      .values({ leaderboard_id: id, run_id: runId, added_at: new Date().toISOString() })
      .execute();
  });
  return { ok: true, id };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The combined leaderboard: every run's scores under the board's judge version, ranked together. */
export async function combinedLeaderboard(
  db: Db,
  boardId: string,
  registry: ModelRegistry,
): Promise<CombinedLeaderboard | null> {
  const board = await db.selectFrom('combined_leaderboard').selectAll().where('id', '=', boardId).executeTakeFirst();
  if (!board) return null;
  const profiles = await boardProfiles(db, boardId);
  const reference = profiles[0];
  const judge = reference?.judgeVersionId ? await findJudgeVersion(db, reference.judgeVersionId) : null;
  const addedAt = new Map(
    (
      await db
        .selectFrom('combined_leaderboard_run')
        .select(['run_id', 'added_at'])
        .where('leaderboard_id', '=', boardId)
        .execute()
    ).map((r) => [r.run_id, r.added_at]),
  );
  const statuses = new Map(
    profiles.length
      ? (
          await db
            .selectFrom('run')
            .select(['id', 'status'])
            .where(
              'id',
              'in',
              profiles.map((p) => p.runId),
            )
            .execute()
        ).map((r) => [r.id, r.status])
      : [],
  );
  const items: ScoredItem[] = [];
  const runOf = new Map<string, string>();
  let judgeErrors = 0;
  let unjudged = 0;
  if (judge)
    for (const p of profiles) {
      const scored = await scoredItems(db, p.runId, judge.id);
      items.push(...scored.items);
      judgeErrors += scored.judgeErrors;
      unjudged += scored.unjudged;
      for (const m of p.models) runOf.set(m, p.runId);
    }
  const ranked = judge ? buildLeaderboard(items, judge.id, { judgeErrors, unjudged }) : null;
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const info = new Map(registry.list().map((m) => [m.id, m]));
  return {
    id: board.id,
    name: board.name,
    createdAt: board.created_at,
    judge: judge && { id: judge.id, name: judge.name, version: judge.version },
    repeats: reference?.repeats ?? null,
    scenarios: reference?.scenarios.size ?? 0,
    runs: profiles.map((p) => ({
      id: p.runId,
      name: p.name,
      status: statuses.get(p.runId) ?? 'unknown',
      models: p.models,
      addedAt: addedAt.get(p.runId) ?? '',
    })),
    categories,
    models: (ranked?.models ?? []).map((row) => {
      const mine = items.filter((i) => i.model === row.model);
      // Category means over the model's per-scenario means (repeats averaged first), as the overall mean.
      const perScenario = new Map<string, { category: string; scores: number[] }>();
      for (const i of mine) {
        const e = perScenario.get(i.scenarioId) ?? { category: i.category, scores: [] };
        e.scores.push(i.score);
        perScenario.set(i.scenarioId, e);
      }
      const byCategory: Record<string, number[]> = {};
      for (const e of perScenario.values()) (byCategory[e.category] ??= []).push(mean(e.scores));
      const m = info.get(row.model);
      return {
        model: row.model,
        family: m?.family ?? null,
        version: m?.version ?? null,
        released: m?.released ?? null,
        runId: runOf.get(row.model) ?? '',
        scenarios: row.scenarios,
        mean: row.mean,
        ci: row.ci,
        passRate: row.passRate,
        categories: Object.fromEntries(Object.entries(byCategory).map(([c, xs]) => [c, mean(xs)])),
      };
    }),
    judgeErrors,
    unjudged,
  };
}

export async function findLeaderboard(db: Db, id: string) {
  return db.selectFrom('combined_leaderboard').selectAll().where('id', '=', id).executeTakeFirst();
}
