/** Headers of a server-sent event stream that nothing on the way may hold back or transform. */
export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: a proxy must not compress it (compression buffers until a block fills).
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx buffers proxied responses unless told not to: the first token would wait for a full buffer.
  'x-accel-buffering': 'no',
};

/**
 * A server-sent event stream written event by event, as one web stream (Hono's streamSSE puts
 * three between a write and the socket, each a few promises per event). The first event of a turn
 * of the event loop goes out at once; the rest of that turn's events leave in one chunk at its end,
 * so one socket write carries them.
 */
export class SseBody {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private pending = '';
  private scheduled = false;
  private ended = false;
  private readonly encoder = new TextEncoder();

  /** `onCancel`: the client went away (tab closed, connection dropped). */
  constructor(onCancel: () => void) {
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.ended = true;
        onCancel();
      },
    });
  }

  /** Whether the client is gone or the stream was closed: sending is then a no-op. */
  get closed(): boolean {
    return this.ended;
  }

  /** Sends one event; `data` is one line (JSON.stringify never writes a line break). */
  send(event: string, data: string): void {
    if (this.ended) return;
    this.pending += `event: ${event}\ndata: ${data}\n\n`;
    if (this.scheduled) return;
    // The first event of a turn leaves now (a token waits for nothing); those after it in the same
    // turn leave together at its end.
    this.flush();
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Sends what is pending and ends the stream. */
  close(): void {
    this.flush();
    if (this.ended) return;
    this.ended = true;
    this.controller.close();
  }

  private flush(): void {
    if (this.ended || this.pending === '') return;
    this.controller.enqueue(this.encoder.encode(this.pending));
    this.pending = '';
  }
}
