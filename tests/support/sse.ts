import type { TranscriptEvent } from '../../schema/transcript.ts';

/** Reads a server-sent event stream into {event, data} records as they arrive. */
export async function* readSse(res: Response): AsyncGenerator<{ event: string; data: string }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      yield { event, data: data.join('\n') };
    }
  }
}

/** Reads a dry-run stream to its end (or until `until` says stop), returning its transcript events. */
export async function collectTranscript(
  res: Response,
  until?: (e: TranscriptEvent) => boolean,
): Promise<TranscriptEvent[]> {
  const events: TranscriptEvent[] = [];
  for await (const { event, data } of readSse(res)) {
    if (event !== 'transcript') continue;
    const e = JSON.parse(data) as TranscriptEvent;
    events.push(e);
    if (until?.(e)) break;
  }
  return events;
}
