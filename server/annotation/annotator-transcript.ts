import {
  EVENTS_HIDDEN_FROM_ANNOTATORS,
  type AnnotatorEvent,
  type EventShownToAnnotators,
} from '../../schema/api/annotation.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';

const HIDDEN = new Set<string>(EVENTS_HIDDEN_FROM_ANNOTATORS);

/**
 * A stored transcript as an annotator may get it: blind to the model, stripped here on the server
 * (not only hidden in the UI). The start event names the model and when it ran, usage events carry
 * tokens and timing, and the end carries totals, cost and latency: with prices configured the
 * price per token is the model's own. Token deltas go too: every reply is also stored whole.
 * Reasoning parts go unless the study chose to show them.
 */
export function annotatorTranscript(
  events: readonly TranscriptEvent[],
  opts: { reasoning: boolean } = { reasoning: false },
): AnnotatorEvent[] {
  const out: AnnotatorEvent[] = [];
  for (const e of events) {
    // The model's reasoning only when the study shows it: the user never saw it, and it can sway a verdict.
    if (e.type === 'reasoning' && !opts.reasoning) continue;
    if (e.type === 'done') out.push({ type: 'done', status: e.status });
    else if (!HIDDEN.has(e.type)) out.push(e as EventShownToAnnotators);
  }
  return out;
}
