import type { CombinedLeaderboard, LeaderboardSummary } from '../../../../schema/api/leaderboards.ts';
import { api, readJson } from '../../api/client.ts';

// The combined-leaderboard endpoints the studio calls; each returns parsed JSON or throws ApiError.

export type { CombinedLeaderboard, CombinedModelRow, LeaderboardSummary } from '../../../../schema/api/leaderboards.ts';

export async function fetchLeaderboards(): Promise<LeaderboardSummary[]> {
  return (await readJson(await api.leaderboards.$get())).leaderboards;
}

export async function fetchCombinedLeaderboard(id: string): Promise<CombinedLeaderboard> {
  return readJson(await api.leaderboards[':id'].$get({ param: { id } }));
}

export async function createLeaderboard(name: string, runId: string): Promise<{ id: string }> {
  return readJson(await api.leaderboards.$post({ json: { name, runId } }));
}

/** Adds a run; a run that is not comparable is refused (409) with every reason. */
export async function addRunToLeaderboard(id: string, runId: string): Promise<void> {
  await readJson(await api.leaderboards[':id'].runs.$post({ param: { id }, json: { runId } }));
}

/** Runs only `model` on the leaderboard's scenarios and places it there. */
export async function addModelToLeaderboard(id: string, model: string): Promise<{ runId: string; items: number }> {
  return readJson(await api.leaderboards[':id'].models.$post({ param: { id }, json: { model } }));
}
