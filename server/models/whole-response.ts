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
  private stream: ReadableStream<Uint8Array> | null = null;
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

  /** The body as a web stream (made when first asked for): one chunk, or the error, given at the first read. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.content === null) return null;
    if (!this.stream) {
      const content = this.content;
      const disturbed = () => (this.used = true);
      this.stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            disturbed();
            if (content instanceof Error) return controller.error(content);
            if (content.byteLength > 0) controller.enqueue(content);
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    }
    return this.stream;
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
