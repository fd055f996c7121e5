import type { Selectable } from 'kysely';

/** A benchmark release this instance made or imported (see migration 2026-11-30T0710-benchmark-releases). */
export interface BenchmarkReleaseTable {
  name: string;
  version: number;
  /** made: written here; imported: read from another instance's release folder. */
  origin: 'made' | 'imported';
  scope: string;
  /** The release folder. */
  path: string;
  /** The release's release.json, as written. */
  manifest: string;
  created_at: string;
  recorded_at: string;
}
export type BenchmarkReleaseRow = Selectable<BenchmarkReleaseTable>;
