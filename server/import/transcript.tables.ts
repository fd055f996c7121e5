import type { Selectable } from 'kysely';

/** Where an imported transcript came from (see migration 2026-11-30T0700-imported-transcripts). */
export interface ImportedTranscriptTable {
  /** The dry_run row holding the conversation. */
  dry_run_id: string;
  format: string;
  /** `<file>#<item>` in the source. */
  reference: string;
  /** sha256 of the source item (canonical JSON): the same item imported again is recognised. */
  source_hash: string;
  /** JSON string[]: what the source had that the transcript does not carry, and why. */
  dropped: string;
  imported_at: string;
}

/** One verdict of another tool's judge on a transcript, kept as it was and mapped to the alignment scale. */
export interface ExternalScoreTable {
  transcript_id: string;
  /** `<tool>:<dimension>`, e.g. `bloom:behavior_presence`, `inspect:popularity/match`. */
  scorer: string;
  /** JSON of the value as the source gave it (a number, "C", true, ...). */
  raw: string;
  /** The value as a number, where it has one. */
  value: number | null;
  scale_min: number | null;
  scale_max: number | null;
  direction: 'higher-better' | 'lower-better' | 'unknown';
  /** The value on Crucible's alignment scale (1-5, higher better, rounded half to even); null when it has no known scale. */
  alignment: number | null;
  rationale: string;
  created_at: string;
}
export type ExternalScoreRow = Selectable<ExternalScoreTable>;
