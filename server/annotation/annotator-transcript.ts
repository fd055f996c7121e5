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
 */
export function annotatorTranscript(events: readonly TranscriptEvent[]): AnnotatorEvent[] {
  const out: AnnotatorEvent[] = [];
  for (const e of events) {
    if (e.type === 'done') out.push({ type: 'done', status: e.status });
    else if (!HIDDEN.has(e.type)) out.push(e as EventShownToAnnotators);
  }
  return out;
}
