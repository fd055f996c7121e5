import type { Generated, Selectable, Insertable } from 'kysely';

/** One indexed scenario file (see migration 2026-11-27T0100-scenario-index). */
export interface ScenarioTable {
  rel_path: string;
  id: string;
  folder: string;
  title: string;
  category: string;
  behavior: string;
  difficulty: string;
  status: string;
  summary: string;
  /** Lowercased id, title, summary, tactics and turn text: what `q` searches. */
  search_text: string;
  /** The row's document number in the word index (migration 2026-12-01T1300); null until its words are written. */
  search_doc: Generated<number | null>;
  content_hash: string;
  /** What a realism rater sees, hashed (migration 2026-11-29T1810-rater-view-hash): ratings go stale only when it changes. */
  rater_view_hash: string;
  turn_count: number;
  /** How many variants the file gives (migration 2026-11-30T0120): 1 without variables. */
  variant_count: Generated<number>;
  tool_count: number;
  error_count: number;
  warning_count: number;
  /** JSON array of Diagnostic. */
  diagnostics: string;
  size_bytes: number;
  mtime_ms: number;
  indexed_at: string;
}
export type ScenarioRow = Selectable<ScenarioTable>;
export type NewScenarioRow = Insertable<ScenarioTable>;
