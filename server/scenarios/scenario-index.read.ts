import { readFileSync } from 'node:fs';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { ScenarioFileRef } from './scenario.paths.ts';
import { contentHash, rowOfScenarioFile } from './scenario.row.ts';
import type { NewScenarioRow } from './scenario.table.ts';
import { blockPostingsOf } from './search-words.ts';

/** A file whose size or mtime differs from the index's: to read, and parse if its text changed. */
export interface ChangedFile {
  ref: ScenarioFileRef;
  stamp: { mtimeMs: number; size: number };
  /** The content hash the index holds for it, if any. */
  knownHash?: string;
}

export interface ReadResult {
  rows: NewScenarioRow[];
  /** Files whose text is what the index holds: only their stamp is new. */
  restamped: { rel_path: string; mtime_ms: number; size_bytes: number }[];
  /** When asked for: the rows' words as a fresh block of the word index stores them (blockPostingsOf). */
  postings?: Map<string, string>;
}

/**
 * Reads changed files: the index row of each whose text changed; a new stamp for each whose text
 * did not (hashing a file is far cheaper than parsing and checking it). The indexer's CPU-heavy
 * step, run on the main thread or on index workers (scenario-index.worker.ts). `withPostings`
 * (at most BLOCK_SIZE files, none of them indexed before) also splits the rows' texts into words.
 */
export function readChangedFiles(files: ChangedFile[], taxonomy: Taxonomy, withPostings = false): ReadResult {
  const out: ReadResult = { rows: [], restamped: [] };
  for (const { ref, stamp, knownHash } of files) {
    let text: string;
    try {
      text = readFileSync(ref.absPath, 'utf8');
    } catch {
      continue; // gone since it was listed: the next pass (or the watcher) drops its row
    }
    if (knownHash !== undefined && knownHash === contentHash(text)) {
      out.restamped.push({ rel_path: ref.relPath, mtime_ms: stamp.mtimeMs, size_bytes: stamp.size });
    } else {
      out.rows.push(rowOfScenarioFile(ref, text, stamp, taxonomy));
    }
  }
  if (withPostings) out.postings = blockPostingsOf(out.rows.map((row) => row.search_text));
  return out;
}
