import type { Db } from '../db/database.ts';
import { findJudgeVersion } from '../judge/judge.repository.ts';
import { findRun, settingsOf } from '../runs/run.repository.ts';

/** What makes two runs' scores comparable: the same scenarios (by content), judge version and repeats. */
export interface RunProfile {
  runId: string;
  name: string;
  judgeVersionId: string | null;
  repeats: number;
  quick: boolean;
  /** Scenario id -> the content hash the run measured. */
  scenarios: Map<string, string>;
  models: string[];
}

export async function runProfile(db: Db, runId: string): Promise<RunProfile | null> {
  const run = await findRun(db, runId);
  if (!run) return null;
  const settings = settingsOf(run);
  const rows = await db
    .selectFrom('run_item')
    .select(['scenario_id', 'content_hash', 'model'])
    .distinct()
    .where('run_id', '=', runId)
    .execute();
  return {
    runId,
    name: run.name,
    judgeVersionId: run.judge_version_id,
    repeats: settings.repeats,
    quick: settings.quick !== undefined,
    scenarios: new Map(rows.map((r) => [r.scenario_id, r.content_hash])),
    models: [...new Set(rows.map((r) => r.model))].sort(),
  };
}

const some = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, and ${ids.length - 5} more` : ''}`;

/** How scenario sets differ: changed content, missing from the run, and not on the reference. */
export function scenarioDifference(reference: Map<string, string>, run: Map<string, string>): string | null {
  const changed = [...run].filter(([id, hash]) => reference.has(id) && reference.get(id) !== hash).map(([id]) => id);
  const missing = [...reference.keys()].filter((id) => !run.has(id));
  const extra = [...run.keys()].filter((id) => !reference.has(id));
  const parts = [
    changed.length ? `${changed.length} with other content (${some(changed)})` : '',
    missing.length ? `${missing.length} not run (${some(missing)})` : '',
    extra.length ? `${extra.length} not on the leaderboard (${some(extra)})` : '',
  ].filter(Boolean);
  return parts.length ? `different scenario content hashes: ${parts.join('; ')}` : null;
}

/**
 * Why `run` cannot join a leaderboard whose runs are `board` (the first one sets the terms), or null
 * when it can. Every reason found is given, not only the first.
 */
export async function whyNotComparable(db: Db, board: RunProfile[], run: RunProfile): Promise<string | null> {
  const reference = board[0];
  if (!reference) return run.quick ? 'a quick run estimates scores: a leaderboard holds measured ones' : null;
  const reasons: string[] = [];
  if (board.some((b) => b.runId === run.runId)) return `run "${run.name}" is on the leaderboard already`;
  if (run.judgeVersionId !== reference.judgeVersionId) {
    const name = async (id: string | null) => {
      const j = id ? await findJudgeVersion(db, id) : null;
      return j ? `${j.name} v${j.version}` : 'none';
    };
    reasons.push(
      `different judge version (the run: ${await name(run.judgeVersionId)}; the leaderboard: ${await name(reference.judgeVersionId)})`,
    );
  }
  if (run.quick) reasons.push('a quick run estimates scores from an anchor subset: a leaderboard holds measured ones');
  if (run.repeats !== reference.repeats)
    reasons.push(`different repeats (the run: ${run.repeats} per scenario; the leaderboard: ${reference.repeats})`);
  const scenarios = scenarioDifference(reference.scenarios, run.scenarios);
  if (scenarios) reasons.push(scenarios);
  const onBoard = new Map(board.flatMap((b) => b.models.map((m) => [m, b.name] as const)));
  const twice = run.models.filter((m) => onBoard.has(m));
  if (twice.length)
    reasons.push(`already on the leaderboard: ${twice.map((m) => `${m} (from run "${onBoard.get(m)}")`).join(', ')}`);
  return reasons.length ? reasons.join('; ') : null;
}
