import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { createGunzip, createInflate, gunzipSync, inflateSync } from 'node:zlib';
import { WholeHeaders, WholeResponse } from './whole-response.ts';

// Node's fetch (undici) costs about 0.4 ms of CPU a call more than node:http for the same request:
// WHATWG streams for every body, a Request object, extra socket writes. At the run engine's scale
// (hundreds of calls a second) that is a third of its CPU per call (issue 20), so the providers of
// benchmark runs are handed this fetch instead. On the wire it is the same request: method, URL,
// body and every header the AI SDK sets, over kept-alive connections, asking for gzip/deflate as
// fetch does. Its failures look like fetch's, so the SDK and classifyProviderError read them alike:
// no response -> TypeError('fetch failed', { cause }); a body cut off -> TypeError('terminated');
// an abort -> the signal's reason. Redirects are not followed (provider APIs answer in place).
// A body read whole comes back as a WholeResponse (whole-response.ts: no Response or Headers built
// for it), an event stream as a Response.

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity }),
};

/**
 * A `fetch` over node:http(s) for provider calls: JSON bodies read whole (runs), event streams
 * passed on as each piece arrives (dry-runs stream their tokens to the browser through it).
 */
export const leanFetch: typeof fetch = (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!transport) return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
  const headers = headerRecord(init.headers);
  headers['accept'] ??= '*/*';
  headers['accept-encoding'] ??= 'gzip, deflate';
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const req = transport.request(url, {
      method: init.method ?? 'GET',
      headers,
      agent: agents[url.protocol as 'http:'],
    });
    const onAbort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    let responded = false;
    req.on('error', (cause) => {
      // After the headers, the response's own close says what happened to the body.
      if (responded) return;
      settle();
      reject(new TypeError('fetch failed', { cause }));
    });
    req.on('response', (res) => {
      responded = true;
      const status = res.statusCode ?? 0;
      const statusText = res.statusMessage ?? '';
      const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
      if ((res.headers['content-type'] ?? '').includes('text/event-stream')) {
        // Streamed: each piece goes on as it arrives.
        const headers = new Headers();
        for (const [name, value] of new WholeHeaders(res.headers)) headers.set(name, value);
        answered = true;
        settle();
        resolve(new Response(streamedBody(res, encoding, signal), { status, statusText, headers }));
        return;
      }
      // Read whole: a WholeResponse (whole-response.ts), which reads as a Response does.
      const whole = (content: Uint8Array<ArrayBuffer> | Error | null) =>
        new WholeResponse(content, status, statusText, res.headers, url.href) as unknown as Response;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const cut = (cause: unknown) => {
        // Headers came but the body broke: what fetch's body reader reports.
        if (answered) return;
        answered = true;
        settle();
        resolve(whole(new TypeError('terminated', { cause })));
      };
      res.on('error', cut);
      res.on('close', () => {
        if (!res.complete) cut(new Error('the connection closed before the whole response arrived'));
      });
      res.on('end', () => {
        if (answered) return;
        answered = true;
        settle();
        try {
          resolve(whole(status === 204 || status === 304 ? null : decoded(Buffer.concat(chunks), encoding)));
        } catch (cause) {
          resolve(whole(new TypeError('terminated', { cause })));
        }
      });
    });
    req.end(bodyOf(init.body));
  });
};

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers || Array.isArray(headers))
    for (const [k, v] of new Headers(headers)) out[k.toLowerCase()] = v;
  else for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

function bodyOf(body: BodyInit | null | undefined): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('leanFetch sends string and byte bodies only');
}

function decoded(raw: Buffer, encoding: string): Uint8Array<ArrayBuffer> {
  const body =
    encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : raw;
  return new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
}

function streamedBody(res: http.IncomingMessage, encoding: string, signal: AbortSignal | undefined) {
  const source: Readable =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? res.pipe(createGunzip())
      : encoding === 'deflate'
        ? res.pipe(createInflate())
        : res;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onAbort = () => {
        res.destroy();
        controller.error(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      source.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
      source.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        controller.close();
      });
      source.on('error', (cause) => {
        signal?.removeEventListener('abort', onAbort);
        controller.error(new TypeError('terminated', { cause }));
      });
    },
    cancel() {
      res.destroy();
    },
  });
}
