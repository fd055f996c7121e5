import type { TranscriptEvent } from '../../schema/transcript.ts';

/**
 * The conversation so far as plain text, for the helper models (referee, tool simulator,
 * simulated user, escalation drafter): who said what, and which tools were called with what.
 */
export function transcriptAsText(events: readonly TranscriptEvent[], opts: { maxChars?: number } = {}): string {
  const lines: string[] = [];
  for (const e of events) {
    if (e.type === 'turn-start') lines.push(`${e.speaker === 'automated' ? 'AUTOMATED INPUT' : 'USER'}: ${e.content}`);
    else if (e.type === 'scripted-assistant')
      lines.push(`ASSISTANT (${e.prefill ? 'scripted prefill, continued below' : 'scripted'}): ${e.content}`);
    else if (e.type === 'assistant-message') lines.push(`ASSISTANT: ${e.text}`);
    else if (e.type === 'tool-call') lines.push(`ASSISTANT called tool ${e.tool}(${JSON.stringify(e.args)})`);
    else if (e.type === 'tool-result') lines.push(`TOOL ${e.tool} returned: ${JSON.stringify(e.result)}`);
  }
  const text = lines.join('\n\n');
  const max = opts.maxChars ?? 24_000;
  // Keep the end: the latest exchange matters most to every helper.
  return text.length > max ? `[...earlier conversation cut...]\n${text.slice(-max)}` : text;
}

/** The model's latest reply (all its messages since the last user turn). */
export function latestReply(events: readonly TranscriptEvent[]): string {
  const out: string[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'turn-start') break;
    if (e.type === 'assistant-message' || e.type === 'scripted-assistant')
      out.unshift(e.type === 'assistant-message' ? e.text : e.content);
  }
  return out.join('\n');
}
