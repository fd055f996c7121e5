import { readFileSync, statSync } from 'node:fs';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { Db } from '../db/database.ts';
import { listScenarioFiles, refOf } from './scenario.paths.ts';
import { deleteScenarioRows, listIndexedFileStamps, upsertScenarioRows } from './scenario.repository.ts';
import { rowOfScenarioFile } from './scenario.row.ts';
import type { NewScenarioRow } from './scenario.table.ts';

export interface IndexReport {
  files: number;
  indexed: number;
  unchanged: number;
  removed: number;
  ms: number;
}

const BATCH = 1000;

/**
 * Brings the index in line with the files: re-reads files whose size or mtime changed (all of
 * them with `force`, e.g. after a taxonomy change) and drops rows whose file is gone.
 */
export async function indexCorpus(db: Db, root: string, taxonomy: Taxonomy, opts: { force?: boolean } = {}): Promise<IndexReport> {
  const started = performance.now();
  const files = listScenarioFiles(root);
  const stamps = new Map((await listIndexedFileStamps(db)).map((s) => [s.rel_path, s]));
  let batch: NewScenarioRow[] = [];
  let indexed = 0;
  for (const ref of files) {
    const stat = statSync(ref.absPath, { throwIfNoEntry: false });
    if (!stat) continue;
    const known = stamps.get(ref.relPath);
    stamps.delete(ref.relPath);
    if (!opts.force && known && known.mtime_ms === stat.mtimeMs && known.size_bytes === stat.size) continue;
    batch.push(rowOfScenarioFile(ref, readFileSync(ref.absPath, 'utf8'), stat, taxonomy));
    indexed++;
    if (batch.length >= BATCH) {
      await upsertScenarioRows(db, batch);
      batch = [];
    }
  }
  await upsertScenarioRows(db, batch);
  if (indexed > 0) await recordRaterViewsOfOlderRatings(db);
  const gone = [...stamps.keys()];
  await deleteScenarioRows(db, gone);
  return { files: files.length, indexed, unchanged: files.length - indexed, removed: gone.length, ms: performance.now() - started };
}

/** Re-indexes one file (after a save or a change on disk); a vanished file drops its row. */
export async function indexScenarioFile(
  db: Db,
  root: string,
  taxonomy: Taxonomy,
  absPath: string,
): Promise<{ kind: 'upsert' | 'remove'; id: string; relPath: string; hash: string | null }> {
  const ref = refOf(root, absPath);
  const stat = statSync(absPath, { throwIfNoEntry: false });
  if (!stat) {
    await deleteScenarioRows(db, [ref.relPath]);
    return { kind: 'remove', id: ref.id, relPath: ref.relPath, hash: null };
  }
  const row = rowOfScenarioFile(ref, readFileSync(absPath, 'utf8'), stat, taxonomy);
  await upsertScenarioRows(db, [row]);
  await recordRaterViewsOfOlderRatings(db, ref.id);
  return { kind: 'upsert', id: ref.id, relPath: ref.relPath, hash: row.content_hash };
}

/**
 * Ratings and leases made before rater views were hashed record only the content they were made
 * on. When the index holds that very version, its rater view is what their rater saw: recorded
 * now, they stay current through later edits the rater would not see.
 */
async function recordRaterViewsOfOlderRatings(db: Db, scenarioId?: string): Promise<void> {
  for (const table of ['realism_rating', 'lease'] as const) {
    let q = db
      .updateTable(table)
      .set((eb) => ({
        rater_view_hash: eb
          .selectFrom('scenario as s')
          .select('s.rater_view_hash')
          .whereRef('s.id', '=', `${table}.scenario_id`)
          .whereRef('s.content_hash', '=', `${table}.content_hash`)
          .limit(1),
      }))
      .where('rater_view_hash', 'is', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('scenario as s')
            .select('s.id')
            .whereRef('s.id', '=', `${table}.scenario_id`)
            .whereRef('s.content_hash', '=', `${table}.content_hash`),
        ),
      );
    if (scenarioId) q = q.where('scenario_id', '=', scenarioId);
    await q.execute();
  }
}
