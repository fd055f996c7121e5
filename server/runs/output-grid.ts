import type { Db } from '../db/database.ts';
import { readEventsOfDryRuns } from '../dryrun/dryrun.repository.ts';
import { latestReply } from '../dryrun/transcript-text.ts';

// The run's outputs as a scenario x model grid (as promptfoo's viewer shows them): each cell the
// score and the start of the model's last answer, so a row reads as "what each model did here".
// One behaviour (or the first scenarios of the run) at a time: a cell needs its transcript read.

/** Rows shown at most: each costs one transcript read per model. */
export const GRID_MAX_ROWS = 60;
const EXCERPT_CHARS = 240;

export interface OutputGridCell {
  transcriptId: string | null;
  status: string;
  score: number | null;
  redFlagged: boolean;
  /** The start of the model's last answer; empty before the item ran. */
  excerpt: string;
}

export interface OutputGrid {
  models: string[];
  rows: { scenarioId: string; behavior: string; cells: Record<string, OutputGridCell> }[];
  /** More scenarios match than GRID_MAX_ROWS. */
  truncated: boolean;
}

/** The grid of the first repeat of each scenario and model, scored by the given judge version. */
export async function buildOutputGrid(
  db: Db,
  runId: string,
  judgeId: string | null,
  opts: { behavior?: string },
): Promise<OutputGrid> {
  let query = db
    .selectFrom('run_item as i')
    .leftJoin('judgement as j', (join) =>
      join.onRef('j.transcript_id', '=', 'i.dry_run_id').on('j.judge_version_id', '=', judgeId ?? ''),
    )
    .select(['i.scenario_id', 'i.behavior', 'i.model', 'i.status', 'i.dry_run_id', 'j.score', 'j.red_flagged'])
    .where('i.run_id', '=', runId)
    .where('i.repeat', '=', 0);
  if (opts.behavior) query = query.where('i.behavior', '=', opts.behavior);
  const items = await query.orderBy('i.scenario_id').orderBy('i.model').execute();

  const models = [...new Set(items.map((i) => i.model))].sort();
  const scenarioIds = [...new Set(items.map((i) => i.scenario_id))];
  const shown = new Set(scenarioIds.slice(0, GRID_MAX_ROWS));
  const shownItems = items.filter((i) => shown.has(i.scenario_id));
  const eventsOf = await readEventsOfDryRuns(
    db,
    shownItems.flatMap((i) => (i.dry_run_id ? [i.dry_run_id] : [])),
  );
  const rows = new Map<string, OutputGrid['rows'][number]>();
  for (const item of shownItems) {
    const row = rows.get(item.scenario_id) ?? { scenarioId: item.scenario_id, behavior: item.behavior, cells: {} };
    const events = (item.dry_run_id && eventsOf.get(item.dry_run_id)) || [];
    const reply = latestReply(events).replace(/\s+/g, ' ').trim();
    row.cells[item.model] = {
      transcriptId: item.dry_run_id,
      status: item.status,
      score: item.score,
      redFlagged: Boolean(item.red_flagged),
      excerpt: reply.length > EXCERPT_CHARS ? `${reply.slice(0, EXCERPT_CHARS)}…` : reply,
    };
    rows.set(item.scenario_id, row);
  }
  return { models, rows: [...rows.values()], truncated: scenarioIds.length > shown.size };
}
