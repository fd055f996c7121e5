// Plumbing shared by the fake providers: a node:http server on 127.0.0.1 that tracks its
// sockets (so close() can kill hung requests), body reading, delays, error headers and an SSE
// writer that can pause between chunks and cut the connection mid-stream.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeReply, FakeRequest } from './fake-script.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON request body; `{ ok: false }` with the raw text when it is not JSON. */
export function parseJson(text: string): { ok: true; value: any } | { ok: false; raw: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, raw: text };
  }
}

export interface HttpHandle {
  /** http://127.0.0.1:PORT (no trailing slash). */
  origin: string;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral 127.0.0.1 port. Handler exceptions become `onError` replies. */
export async function startHttp(
  handler: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>,
  onError: (res: ServerResponse, err: unknown) => void,
): Promise<HttpHandle> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    handler(req, res, path).catch((err) => {
      if (!res.headersSent && !res.destroyed) onError(res, err);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

/** Records a request on the server's list; its callIndex is its position there. */
export function recordRequest(requests: FakeRequest[], req: IncomingMessage, path: string, body: any): FakeRequest {
  const request: FakeRequest = { body, headers: headersOf(req), callIndex: requests.length, path };
  requests.push(request);
  return request;
}

/** Retry-After (seconds, as given, possibly fractional) and retry-after-ms, as OpenAI sends them. */
export function retryHeaders(reply: FakeReply): Record<string, string> {
  if (reply.retryAfterSeconds == null) return {};
  return {
    'retry-after': String(reply.retryAfterSeconds),
    'retry-after-ms': String(Math.round(reply.retryAfterSeconds * 1000)),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * A non-streaming reply with cutAfterChunks: announces the whole body (content-length), sends
 * only its first half, then destroys the socket, so the client sees a truncated JSON body.
 */
export async function sendTruncatedJson(
  res: ServerResponse,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  if (res.destroyed) return;
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length), ...headers });
  await new Promise<void>((resolve) => res.write(text.subarray(0, Math.floor(text.length / 2)), () => resolve()));
  await sleep(10);
  res.socket?.destroy();
}

/** A rough token count for default usage figures: a token per 4 characters, at least 1. */
export function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Writes SSE frames, honouring chunkDelayMs (between frames) and cutAfterChunks (destroy the
 * socket right after frame N has been flushed). `send` resolves false once the stream is dead
 * (cut, or the client went away), and the caller should stop.
 */
export class SseWriter {
  private sent = 0;
  private dead = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly reply: FakeReply,
    headers: Record<string, string> = {},
  ) {
    res.on('close', () => {
      this.dead = true;
    });
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    res.flushHeaders();
    if (reply.cutAfterChunks != null && reply.cutAfterChunks <= 0) this.cut();
  }

  get alive(): boolean {
    return !this.dead;
  }

  async send(frame: string): Promise<boolean> {
    if (this.dead) return false;
    if (this.sent > 0 && this.reply.chunkDelayMs) await sleep(this.reply.chunkDelayMs);
    if (this.dead) return false;
    await new Promise<void>((resolve) => this.res.write(frame, () => resolve()));
    this.sent++;
    if (this.reply.cutAfterChunks != null && this.sent >= this.reply.cutAfterChunks) {
      // Give the client a moment to read what was flushed, then drop the connection without
      // the terminating zero-length chunk: the client sees a truncated chunked body.
      await sleep(10);
      this.cut();
      return false;
    }
    return true;
  }

  end(): void {
    if (!this.dead) this.res.end();
  }

  private cut(): void {
    this.dead = true;
    this.res.socket?.destroy();
  }
}

/** Common handling of the script's reply before a protocol writes it: delay, hang. */
export async function beforeReply(res: ServerResponse, reply: FakeReply): Promise<'hang' | 'gone' | 'go'> {
  if (reply.hang) return 'hang';
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed || res.socket?.destroyed) return 'gone';
  return 'go';
}
