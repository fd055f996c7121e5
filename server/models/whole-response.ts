import type { IncomingHttpHeaders } from 'node:http';

// What lean-fetch.ts hands back for a body it read whole: the parts of fetch's Response that the
// AI SDK and any other reader of a provider's answer use (status, ok, headers, body as a web
// stream, text/json/arrayBuffer, clone), without building a Response and a Headers object for it.
// Node's Response and Headers validate and copy every header through WebIDL conversions, and a
// fresh process loads and compiles them at the first answer: 57-61 us of CPU a call warm and 83-88
// ms over a small run's first 320 calls, against 21-22 us and 19-20 ms for this (the Response,
// headers and body reads the SDK makes of an answer, measured alone). Event streams still get
// a real Response (lean-fetch.ts).

/** A response's headers as fetch's Headers reads them: names in lower case, in name order, repeated ones joined. */
export class WholeHeaders implements Iterable<[string, string]> {
  private readonly pairs: [string, string][];
  private readonly byName: Map<string, string>;

  constructor(headers: IncomingHttpHeaders) {
    this.pairs = [];
    for (const [name, value] of Object.entries(headers))
      if (value !== undefined) this.pairs.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]);
    this.pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.byName = new Map(this.pairs);
  }

  get(name: string): string | null {
    return this.byName.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string, headers: WholeHeaders) => void): void {
    for (const [name, value] of this.pairs) callback(value, name, this);
  }

  entries(): IterableIterator<[string, string]> {
    return this.pairs.map(([name, value]): [string, string] => [name, value])[Symbol.iterator]();
  }

  keys(): IterableIterator<string> {
    return this.pairs.map(([name]) => name)[Symbol.iterator]();
  }

  values(): IterableIterator<string> {
    return this.pairs.map(([, value]) => value)[Symbol.iterator]();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * A response whose body is all here (`content`), or whose body broke after the headers (`content`
 * is the error every read rejects with, as fetch's body reader does).
 */
export class WholeResponse {
  readonly ok: boolean;
  readonly type = 'basic';
  readonly redirected = false;
  readonly headers: WholeHeaders;
  private stream: WholeBody | null = null;
  /** Read from: wholly, or by the first read of its stream. */
  private used = false;

  constructor(
    private readonly content: Uint8Array<ArrayBuffer> | Error | null,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders | WholeHeaders,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.headers = headers instanceof WholeHeaders ? headers : new WholeHeaders(headers);
  }

  /** The body: one chunk, or the error, given at the first read (see WholeBody). */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.content === null) return null;
    this.stream ??= new WholeBody(this.content, () => (this.used = true));
    return this.stream as unknown as ReadableStream<Uint8Array>;
  }

  /** Whether the body was read, by a reader of its stream or whole, as fetch's Response says. */
  get bodyUsed(): boolean {
    return this.used;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.used || this.stream?.locked) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    if (this.content instanceof Error) throw this.content;
    return this.content ?? new Uint8Array(0);
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  clone(): WholeResponse {
    if (this.used || this.stream?.locked) throw new TypeError('Response.clone: Body has already been consumed.');
    return new WholeResponse(this.content, this.status, this.statusText, this.headers, this.url);
  }
}

/**
 * A whole response's body, read as a fetch body is read: its reader gives the one chunk (or rejects
 * with the error) and then the end, which is all the AI SDK does with an answer's body. Any other use
 * of it as a stream (piping, tee, iteration, a BYOB reader) gets a real ReadableStream of what is
 * left. Only the reader is built here: Node's ReadableStream costs more to build than the rest of
 * the reading of an answer (about 15 us a call, and its code compiled at a fresh process's first
 * answers).
 */
class WholeBody {
  private delivered = false;
  private reader: WholeBodyReader | null = null;
  private real: ReadableStream<Uint8Array> | null = null;

  constructor(
    private readonly content: Uint8Array<ArrayBuffer> | Error,
    private readonly onRead: () => void,
  ) {}

  get locked(): boolean {
    return this.reader !== null || (this.real?.locked ?? false);
  }

  getReader(options?: { mode?: 'byob' }): ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader {
    if (options?.mode !== undefined || this.real) return this.stream().getReader(options as { mode: 'byob' });
    if (this.reader) throw lockedError();
    this.reader = new WholeBodyReader(this);
    return this.reader as unknown as ReadableStreamDefaultReader<Uint8Array>;
  }

  cancel(): Promise<void> {
    if (this.locked) return Promise.reject(lockedError());
    this.delivered = true;
    return Promise.resolve();
  }

  pipeThrough<T>(transform: ReadableWritablePair<T, Uint8Array>, options?: StreamPipeOptions): ReadableStream<T> {
    return this.stream().pipeThrough(transform, options);
  }

  pipeTo(destination: WritableStream<Uint8Array>, options?: StreamPipeOptions): Promise<void> {
    return this.stream().pipeTo(destination, options);
  }

  tee(): [ReadableStream<Uint8Array>, ReadableStream<Uint8Array>] {
    return this.stream().tee();
  }

  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array> {
    return (this.stream() as IterableStream).values(options);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return (this.stream() as IterableStream)[Symbol.asyncIterator]();
  }

  /** The next read: the chunk once, then the end; the error every time. */
  take(): ReadableStreamReadResult<Uint8Array<ArrayBuffer>> {
    this.onRead();
    if (this.content instanceof Error) throw this.content;
    const done = this.delivered || this.content.byteLength === 0;
    this.delivered = true;
    return done ? { done: true, value: undefined } : { done: false, value: this.content };
  }

  /** A reader let go: the body may be read again (from where it was). */
  release(reader: WholeBodyReader): void {
    if (this.reader === reader) this.reader = null;
  }

  /** The end of the body, for a reader cancelling it. */
  end(): void {
    this.delivered = true;
  }

  /** The body as a real web stream, for uses beyond its reader: what is left of it. */
  private stream(): ReadableStream<Uint8Array> {
    if (this.reader) throw lockedError();
    this.real ??= new ReadableStream(
      {
        type: 'bytes',
        pull: (controller) => {
          try {
            const next = this.take();
            if (next.done) controller.close();
            // A copy: a byte stream takes over the buffer it is given, which a clone still reads.
            else controller.enqueue(next.value.slice());
          } catch (e) {
            controller.error(e);
          }
        },
      },
      { highWaterMark: 0 },
    );
    return this.real;
  }
}

/** Node's ReadableStream is async-iterable (TypeScript's DOM types do not say so). */
type IterableStream = ReadableStream<Uint8Array> & {
  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array>;
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array>;
};

/** The reader of a WholeBody: read, cancel, releaseLock, as a default reader of a fetch body. */
class WholeBodyReader {
  private attached = true;

  constructor(private readonly body: WholeBody) {}

  async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (!this.attached) throw detachedError();
    return this.body.take();
  }

  async cancel(): Promise<void> {
    if (!this.attached) throw detachedError();
    this.body.end();
  }

  releaseLock(): void {
    if (!this.attached) return;
    this.attached = false;
    this.body.release(this);
  }
}

/** Node's errors for a locked stream and a released reader (both TypeErrors, code ERR_INVALID_STATE). */
const lockedError = () =>
  Object.assign(new TypeError('Invalid state: ReadableStream is locked'), { code: 'ERR_INVALID_STATE' });
const detachedError = () =>
  Object.assign(new TypeError('Invalid state: The reader is not attached to a stream'), { code: 'ERR_INVALID_STATE' });
