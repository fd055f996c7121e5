import { statSync } from 'node:fs';
import type { Db } from '../db/database.ts';
import type { ChangedFile } from './scenario-index.read.ts';
import { scenarioFilesByFolder } from './scenario.paths.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** What comparing the files on disk with the index found. */
export interface CorpusComparison {
  /** Scenario files on disk. */
  files: number;
  /** Files whose size or mtime differs from their row's (all of them with `force`), or that have none. */
  changed: { file: ChangedFile; known: boolean }[];
  /** Rows whose file is gone. */
  gone: string[];
}

export interface CompareOptions {
  /** Every file counts as changed (after a taxonomy change). */
  force?: boolean;
  /**
   * Give the thread back to waiting requests every few milliseconds of work: the comparison runs
   * while the server is serving (a warm start, issue 20 point 7), where 100,000 stats in one go
   * would hold every request for most of a second.
   */
  yieldToRequests?: boolean;
}

/** Rows read per query when yielding (by rel_path, along its unique index). */
const STAMP_PAGE = 5_000;
/** Files stat'ed between two yields (a few milliseconds). */
const STATS_PER_SLICE = 1_000;

/** Compares every scenario file's size and mtime with the stamp its index row holds. */
export async function compareFilesWithIndex(db: Db, root: string, opts: CompareOptions = {}): Promise<CorpusComparison> {
  const force = opts.force === true;
  const yielding = opts.yieldToRequests === true;
  const stamps = await indexedStamps(db, yielding);
  const changed: CorpusComparison['changed'] = [];
  let files = 0;
  let sinceYield = 0;
  for (const folder of scenarioFilesByFolder(root)) {
    files += folder.length;
    for (const ref of folder) {
      if (yielding && ++sinceYield >= STATS_PER_SLICE) {
        sinceYield = 0;
        await nextTurn();
      }
      const stat = statSync(ref.absPath, { throwIfNoEntry: false });
      if (!stat) continue; // gone since it was listed: its row (if any) stays in `stamps`, so it is dropped
      const known = stamps.get(ref.relPath);
      stamps.delete(ref.relPath);
      if (!force && known && known.mtime_ms === stat.mtimeMs && known.size_bytes === stat.size) continue;
      changed.push({ file: { ref, stamp: { mtimeMs: stat.mtimeMs, size: stat.size } }, known: known !== undefined });
    }
    if (yielding) await nextTurn();
  }
  return { files, changed, gone: [...stamps.keys()] };
}

type Stamp = { rel_path: string; mtime_ms: number; size_bytes: number };

/** Every row's path and stamp, by path: in one query, or (yielding) in pages along rel_path's index. */
async function indexedStamps(db: Db, yielding: boolean): Promise<Map<string, Stamp>> {
  const stamps = new Map<string, Stamp>();
  const query = db.selectFrom('scenario').select(['rel_path', 'mtime_ms', 'size_bytes']);
  if (!yielding) {
    for (const row of await query.execute()) stamps.set(row.rel_path, row);
    return stamps;
  }
  let after: string | null = null;
  for (;;) {
    const page: Stamp[] = await (after === null ? query : query.where('rel_path', '>', after))
      .orderBy('rel_path')
      .limit(STAMP_PAGE)
      .execute();
    for (const row of page) stamps.set(row.rel_path, row);
    if (page.length < STAMP_PAGE) return stamps;
    after = page[page.length - 1]!.rel_path;
    await nextTurn();
  }
}
