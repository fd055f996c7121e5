import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { Db } from '../db/database.ts';
import { IndexWorkerPool } from './scenario-index.pool.ts';
import { compareFilesWithIndex } from './scenario-index.compare.ts';
import { readChangedFiles, type ChangedFile, type ReadResult } from './scenario-index.read.ts';
import { refOf } from './scenario.paths.ts';
import { threadCpuMs } from './thread-cpu.ts';
import {
  deleteScenarioRows,
  findContentHashes,
  updateScenarioFileStamps,
  upsertScenarioRows,
} from './scenario.repository.ts';
import { rowOfScenarioFile } from './scenario.row.ts';
import { writeMissingSearchWords } from './search-word.repository.ts';

export interface IndexReport {
  files: number;
  indexed: number;
  unchanged: number;
  removed: number;
  ms: number;
  /** CPU time of the indexing thread and of each index worker (none for a small batch), in ms. */
  cpu: { mainMs: number; workersMs: number[] };
}

export interface IndexOptions {
  /** Re-read every file, whatever its stamp (after a taxonomy change). */
  force?: boolean;
  /** Index workers (threads) reading and parsing files; default: one per core for 2,000 changed files or more. */
  workers?: number;
  /** Yield to waiting requests while comparing files with the index (scenario-index.compare.ts). */
  yieldToRequests?: boolean;
}

/**
 * Changed files read per batch, on this thread or a worker, and written in one transaction. At
 * most BLOCK_SIZE: a batch of new files fills one fresh block of the word index.
 */
const BATCH = 1000;
/** From this many changed files on, workers are started (each costs about as much as reading a few hundred files). */
const WORKER_THRESHOLD = 2000;

/**
 * Brings the index in line with the files: re-reads files whose size or mtime changed (all of
 * them with `force`) and drops rows whose file is gone. A file whose stamp changed but whose text
 * did not (touched, checked out again) only has its stamp updated. Many changed files (a cold
 * index) are read and parsed on worker threads while this thread writes the rows.
 */
export async function indexCorpus(db: Db, root: string, taxonomy: Taxonomy, opts: IndexOptions = {}): Promise<IndexReport> {
  const started = performance.now();
  const cpuAtStart = threadCpuMs();
  const force = opts.force === true;
  const { files, changed, gone } = await compareFilesWithIndex(db, root, { force, yieldToRequests: opts.yieldToRequests });

  const workers = opts.workers ?? (changed.length >= WORKER_THRESHOLD ? availableParallelism() : 0);
  const pool = workers > 0 ? new IndexWorkerPool(workers, taxonomy) : null;
  let indexed = 0;
  let workersMs: number[] = [];
  try {
    // A batch of files none of which the index holds (all of a cold index) has its rows' words
    // split where it is read, a worker's core rather than this thread's (blockPostingsOf).
    const batches: { files: () => Promise<ChangedFile[]>; withPostings: boolean }[] = [];
    for (let i = 0; i < changed.length; i += BATCH) {
      const batch = changed.slice(i, i + BATCH);
      batches.push({ files: () => withKnownHashes(db, batch, force), withPostings: batch.every((c) => !c.known) });
    }
    if (pool) {
      // Up to two batches per worker in flight, written in the order they were sent.
      const inFlight: Promise<ReadResult>[] = [];
      for (const batch of batches) {
        const read = pool.read(await batch.files(), batch.withPostings);
        read.catch(() => undefined); // awaited below, in order; a later failure must not go unhandled meanwhile
        inFlight.push(read);
        if (inFlight.length >= 2 * workers) indexed += await write(db, await inFlight.shift()!);
      }
      while (inFlight.length > 0) indexed += await write(db, await inFlight.shift()!);
      workersMs = pool.workerCpuMs();
    } else {
      for (const batch of batches) indexed += await write(db, readChangedFiles(await batch.files(), taxonomy, batch.withPostings));
    }
  } finally {
    await pool?.close();
  }
  if (indexed > 0) await recordRaterViewsOfOlderRatings(db);
  await deleteScenarioRows(db, gone);
  await writeMissingSearchWords(db); // rows indexed before the word index existed
  return {
    files,
    indexed,
    unchanged: files - indexed,
    removed: gone.length,
    ms: performance.now() - started,
    cpu: { mainMs: threadCpuMs() - cpuAtStart, workersMs },
  };
}

/** The batch, each file that was indexed before with the content hash the index holds for it. */
async function withKnownHashes(db: Db, batch: { file: ChangedFile; known: boolean }[], force: boolean): Promise<ChangedFile[]> {
  const lookUp = force ? [] : batch.filter((c) => c.known).map((c) => c.file.ref.relPath);
  const hashes = lookUp.length > 0 ? await findContentHashes(db, lookUp) : new Map<string, string>();
  return batch.map(({ file }) => {
    const knownHash = hashes.get(file.ref.relPath);
    return knownHash === undefined ? file : { ...file, knownHash };
  });
}

/** Writes what reading a batch gave; returns how many files were indexed again. */
async function write(db: Db, read: ReadResult): Promise<number> {
  await upsertScenarioRows(db, read.rows, read.postings);
  await updateScenarioFileStamps(db, read.restamped);
  return read.rows.length;
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
