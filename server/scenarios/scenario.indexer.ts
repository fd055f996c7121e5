import { readFileSync, statSync, type Stats } from 'node:fs';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { Db } from '../db/database.ts';
import { listScenarioFiles, refOf, type ScenarioFileRef } from './scenario.paths.ts';
import {
  deleteScenarioRows,
  findContentHashes,
  listIndexedFileStamps,
  updateScenarioFileStamps,
  upsertScenarioRows,
} from './scenario.repository.ts';
import { contentHash, rowOfScenarioFile } from './scenario.row.ts';
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
 * them with `force`, e.g. after a taxonomy change) and drops rows whose file is gone. A file whose
 * stamp changed but whose text did not (touched, checked out again) only has its stamp updated:
 * hashing a file is far cheaper than parsing and checking it.
 */
export async function indexCorpus(db: Db, root: string, taxonomy: Taxonomy, opts: { force?: boolean } = {}): Promise<IndexReport> {
  const started = performance.now();
  const files = listScenarioFiles(root, { sorted: false });
  const stamps = new Map((await listIndexedFileStamps(db)).map((s) => [s.rel_path, s]));
  let changed: { ref: ScenarioFileRef; stat: Stats }[] = [];
  let indexed = 0;
  for (const ref of files) {
    const stat = statSync(ref.absPath, { throwIfNoEntry: false });
    if (!stat) continue;
    const known = stamps.get(ref.relPath);
    stamps.delete(ref.relPath);
    if (!opts.force && known && known.mtime_ms === stat.mtimeMs && known.size_bytes === stat.size) {
      continue;
    }
    changed.push({ ref, stat });
    if (changed.length >= BATCH) {
      indexed += await indexChanged(db, changed, taxonomy, opts.force === true);
      changed = [];
    }
  }
  indexed += await indexChanged(db, changed, taxonomy, opts.force === true);
  if (indexed > 0) await recordRaterViewsOfOlderRatings(db);
  const gone = [...stamps.keys()];
  await deleteScenarioRows(db, gone);
  return { files: files.length, indexed, unchanged: files.length - indexed, removed: gone.length, ms: performance.now() - started };
}

/** Reads changed files; re-indexes those whose text changed, re-stamps the others. Returns how many were re-indexed. */
async function indexChanged(
  db: Db,
  changed: { ref: ScenarioFileRef; stat: Stats }[],
  taxonomy: Taxonomy,
  force: boolean,
): Promise<number> {
  if (changed.length === 0) return 0;
  const known = force ? new Map<string, string>() : await findContentHashes(db, changed.map((c) => c.ref.relPath));
  const rows: NewScenarioRow[] = [];
  const restamped: { rel_path: string; mtime_ms: number; size_bytes: number }[] = [];
  for (const { ref, stat } of changed) {
    let text: string;
    try {
      text = readFileSync(ref.absPath, 'utf8');
    } catch {
      continue; // gone since it was listed: the next pass (or the watcher) drops its row
    }
    const hash = known.get(ref.relPath);
    if (hash !== undefined && hash === contentHash(text)) {
      restamped.push({ rel_path: ref.relPath, mtime_ms: stat.mtimeMs, size_bytes: stat.size });
    } else {
      rows.push(rowOfScenarioFile(ref, text, stat, taxonomy));
    }
  }
  await upsertScenarioRows(db, rows);
  await updateScenarioFileStamps(db, restamped);
  return rows.length;
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
