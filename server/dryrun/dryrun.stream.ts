import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { Redactor } from '../models/redact.ts';
import { SseBody } from '../http/sse-body.ts';
import { classifyProviderError } from './provider-errors.ts';
import type { DryRunGroupCommit, DryRunWrite } from './dryrun.group-commit.ts';
import { appendDryRunEventJson, closeDryRun, insertDryRun, setDryRunRedFlags } from './dryrun.repository.ts';

/**
 * Events that end a step of the transcript: an answer (its usage, or the error that ended it), a
 * skipped turn, a wait for the author's reply. Each is saved with every event before it, and reaches
 * the browser only once that is committed: whatever checkpoint an author has seen survives a crash.
 * The events between (a turn's start, its tokens, tool calls) stream at once and are saved with the
 * checkpoint that ends their step; a crash mid-answer loses that answer, which no one was told was kept.
 * No commit comes before a run's first token: SQLite commits with synchronous=FULL hold the process
 * for a disk flush (about 4.5 ms here), which added to every time to first token.
 */
const CHECKPOINTS = new Set<TranscriptEvent['type']>(['turn-skipped', 'usage', 'awaiting-reply', 'error']);

export interface DryRunStreamInput {
  id: string;
  /** The dry-run's row, inserted with its first checkpoint (or its close, if it has none). */
  row: Parameters<typeof insertDryRun>[1];
  events: AsyncGenerator<TranscriptEvent>;
  commits: Pick<DryRunGroupCommit, 'write'>;
  redact: Redactor;
  /** Aborted when the client goes away; the conversation listens on it. */
  controller: AbortController;
  /** Called once the transcript is stored and the stream ended. */
  onClosed: () => void;
}

/**
 * Streams a running dry-run to the browser (SSE) and to the database. The conversation is read as
 * fast as it yields: a checkpoint's commit never holds up the next model call, only the sending of
 * the checkpoint itself (and what follows it, in order).
 */
export function streamDryRun(input: DryRunStreamInput): ReadableStream<Uint8Array> {
  const { id, commits, controller } = input;
  const sse = new SseBody(() => controller.abort());
  // A step that cannot be saved stops the run: going on would spend tokens on a transcript that is lost.
  const outbox = new OrderedOutbox(sse, () => controller.abort());
  const events: TranscriptEvent[] = [];
  const json: string[] = [];
  let saved = 0;
  let redFlags = 0;
  let redFlagsSaved = 0;
  // The first write (a checkpoint, or the close) inserts the row: writes commit in the order queued.
  let rowQueued = false;
  const withRow = (write: DryRunWrite): DryRunWrite => {
    if (rowQueued) return write;
    rowQueued = true;
    return async (trx) => {
      await insertDryRun(trx, input.row);
      await write(trx);
    };
  };

  const checkpoint = (): Promise<void> => {
    const first = saved;
    const batch = json.slice(first);
    const flags = redFlags > redFlagsSaved ? redFlags : null;
    saved = events.length;
    redFlagsSaved = redFlags;
    return commits.write(
      withRow(async (trx) => {
        await appendDryRunEventJson(trx, id, first, batch);
        if (flags !== null) await setDryRunRedFlags(trx, id, flags);
      }),
    );
  };
  const push = (raw: TranscriptEvent): { event: TranscriptEvent; text: string } => {
    // The event's JSON is made once: sent as is, stored as is.
    const plain = JSON.stringify(raw);
    const text = input.redact(plain);
    const event = text === plain ? raw : (JSON.parse(text) as TranscriptEvent);
    events.push(event);
    json.push(text);
    if (event.type === 'red-flag') redFlags++;
    return { event, text };
  };

  void (async () => {
    const held: string[] = []; // `done` (and a failure's error): sent once the run is closed in the database
    try {
      for await (const raw of input.events) {
        const { event, text } = push(raw);
        if (event.type === 'done') held.push(text);
        else if (CHECKPOINTS.has(event.type)) outbox.send(text, checkpoint());
        else outbox.send(text);
      }
    } catch (e) {
      const c = classifyProviderError(e, { stoppedByUser: controller.signal.aborted, timeoutMs: 120_000 });
      for (const raw of [
        { type: 'error', turn: null, code: 'internal', message: c.message, fatal: true },
        {
          type: 'done',
          status: controller.signal.aborted ? 'stopped' : 'failed',
          inputTokens: 0,
          outputTokens: 0,
          costUsd: null,
          latencyMs: 0,
        },
      ] satisfies TranscriptEvent[])
        held.push(push(raw).text);
      console.error(`dry-run ${id} failed:`, e);
    }
    const closed = commits.write(withRow((trx) => closeDryRun(trx, id, events, saved, json)));
    for (const text of held) outbox.send(text, closed);
    await outbox.drained();
    sse.close();
    input.onClosed();
  })();
  return sse.readable;
}

/**
 * Sends events in order, each held until the commit it waits for (if any) has returned, and every
 * later one behind it. An event with nothing to wait for and nothing ahead of it goes at once.
 */
class OrderedOutbox {
  private queue: { text: string; after?: Promise<void> }[] = [];
  private draining: Promise<void> | null = null;
  private failed = false;

  constructor(
    private readonly sse: SseBody,
    private readonly onUnsaved: () => void,
  ) {}

  send(text: string, after?: Promise<void>): void {
    if (this.failed) return;
    if (!after && !this.draining) {
      this.sse.send('transcript', text);
      return;
    }
    this.queue.push({ text, after });
    this.draining ??= this.drain();
  }

  /** Resolves once everything sent so far has gone out (or could not be saved). */
  async drained(): Promise<void> {
    await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (next.after) await next.after;
        this.sse.send('transcript', next.text);
      }
    } catch (e) {
      // Not saved, so not sent: the author is told the transcript stopped being saved here.
      this.failed = true;
      this.queue = [];
      this.onUnsaved();
      const message = `the transcript could not be saved: ${e instanceof Error ? e.message : String(e)}`;
      this.sse.send(
        'transcript',
        JSON.stringify({ type: 'error', turn: null, code: 'internal', message, fatal: true }),
      );
      console.error(`dry-run transcript not saved:`, e);
    } finally {
      this.draining = null;
    }
  }
}
