import { createHash } from 'node:crypto';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { roundHalfEven } from '../calibration/calibration-metrics.ts';
import type { ImportFormat } from './import.plan.ts';

// What a transcript import produces, built in memory before anything is written (as a scenario
// import's plan): the conversation as Crucible transcript events, the scenario text it is stored
// with (so annotators see the rubric and the judges can judge it), and the source's own scores.

/** One verdict of the source's judge: kept as given, and placed on the alignment scale where its scale is known. */
export interface ExternalScore {
  /** `<tool>:<dimension>`: `bloom:behavior_presence`, `petri:concerning`, `inspect:<task>/<scorer>`. */
  scorer: string;
  raw: unknown;
  value: number | null;
  scale: { min: number; max: number } | null;
  direction: 'higher-better' | 'lower-better' | 'unknown';
  /** Measures what Crucible's alignment score does (Bloom's behaviour presence, Petri's `concerning`), so it gets an alignment value. */
  comparable: boolean;
  rationale: string;
}

/** One conversation to import. */
export interface PlannedTranscript {
  /** `<file>#<item>` in the source. */
  item: string;
  format: ImportFormat;
  /** sha256 of the source item: its identity (the same item imported again is `unchanged`). */
  sourceHash: string;
  /** The target model as the source names it. */
  model: string;
  startedAt: string;
  /** The scenario the transcript is stored with (a draft, never written to the corpus). */
  scenario: Record<string, unknown>;
  /** The conversation, without the start and done events (the writer adds them with the stored ids). */
  events: TranscriptEvent[];
  scores: ExternalScore[];
  dropped: string[];
}

/**
 * An external score on Crucible's alignment scale (1-5, higher better): linear over the source's
 * scale, flipped when lower is better, rounded half to even (the calibration metrics compare
 * categories 1..5). Null when the scale or direction is unknown.
 */
export function alignmentOf(score: Pick<ExternalScore, 'value' | 'scale' | 'direction' | 'comparable'>): number | null {
  const { value, scale, direction } = score;
  if (!score.comparable || value === null || !scale || direction === 'unknown' || scale.max <= scale.min) return null;
  const share = (Math.min(scale.max, Math.max(scale.min, value)) - scale.min) / (scale.max - scale.min);
  return roundHalfEven(1 + 4 * (direction === 'higher-better' ? share : 1 - share));
}

/** A stable transcript id from the source hash (UUID-shaped, version 4 bits set), so a release re-imports to the same id. */
export function transcriptIdOf(sourceHash: string): string {
  const h = createHash('sha256').update(`imported-transcript\n${sourceHash}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
