import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanFetch } from '../../server/models/lean-fetch.ts';

// The run engine's fetch (lean-fetch.ts) asks for gzip and deflate as Node's fetch does, so it must
// undo them as fetch does; the provider fakes never compress, so this server does. Each answer is
// compared with what the global fetch makes of the same response. Dry-runs stream through it too:
// an event stream must be handed over piece by piece, never read whole first.

const BODY = JSON.stringify({ id: 'chatcmpl-1', choices: [{ message: { role: 'assistant', content: 'Fine.' } }] });
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/stream') return streamUntilRead(res);
    if (req.url === '/empty') return res.writeHead(204).end();
    if (req.url === '/headers') {
      res.setHeader('X-Zeta', 'last');
      res.setHeader('x-many', ['one', 'two']);
      res.setHeader('Content-Type', 'application/json');
      return res.end(BODY);
    }
    const encoding = req.url!.slice(1);
    const body = encoding === 'gzip' ? gzipSync(BODY) : encoding === 'deflate' ? deflateSync(BODY) : Buffer.from(BODY);
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
      'x-request-accept-encoding': String(req.headers['accept-encoding']),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
// The event stream's second event is sent only once the test has read the first
// (firstRead): a fetch that waits for the whole body never gets the first, and the test times out.
let firstRead: () => void = () => {};
function streamUntilRead(res: import('node:http').ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: {"delta":"first"}\n\n');
  firstRead = () => res.end('data: {"delta":"second"}\n\ndata: [DONE]\n\n');
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('leanFetch', () => {
  it.each(['gzip', 'deflate', 'identity'])('reads a %s body as fetch does', async (encoding) => {
    const lean = await leanFetch(`${url}/${encoding}`, { method: 'POST', body: '{}' });
    const global = await fetch(`${url}/${encoding}`, { method: 'POST', body: '{}' });
    expect(lean.headers.get('x-request-accept-encoding')).toBe('gzip, deflate');
    expect(global.headers.get('x-request-accept-encoding')).toContain('gzip');
    expect([lean.status, await lean.text()]).toEqual([global.status, await global.text()]);
  });

  // A body read whole comes back as a WholeResponse (whole-response.ts), not a Response: it must
  // read as fetch's Response reads, whichever way the SDK or anything else reads it.
  it("reads a whole body as fetch's Response does: headers, text, json, bytes, stream, clone", async () => {
    const lean = await leanFetch(`${url}/headers`, { method: 'POST', body: '{}' });
    const global = await fetch(`${url}/headers`, { method: 'POST', body: '{}' });
    expect([...lean.headers]).toEqual([...global.headers]);
    expect([...lean.headers.keys()]).toEqual([...global.headers.keys()]);
    expect(lean.headers.get('X-MANY')).toBe(global.headers.get('x-many'));
    expect(lean.headers.get('x-many')).toBe('one, two');
    expect(lean.headers.has('x-zeta')).toBe(true);
    expect(lean.headers.get('x-absent')).toBeNull();
    const seen: string[] = [];
    lean.headers.forEach((value, name) => seen.push(`${name}=${value}`));
    expect(seen).toEqual([...global.headers].map(([name, value]) => `${name}=${value}`));
    expect([lean.ok, lean.status, lean.statusText]).toEqual([global.ok, global.status, global.statusText]);

    const copy = lean.clone();
    expect(await lean.json()).toEqual(JSON.parse(BODY));
    expect(lean.bodyUsed).toBe(true);
    await expect(lean.text()).rejects.toThrow(TypeError);
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe(BODY);

    // As the SDK reads an answer: its body's reader, chunk by chunk.
    const streamed = await leanFetch(`${url}/headers`, { method: 'POST', body: '{}' });
    const reader = streamed.body!.getReader();
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += new TextDecoder().decode(chunk.value);
    reader.releaseLock();
    expect(text).toBe(BODY);
    expect(streamed.bodyUsed).toBe(true);
    await global.text();
  });

  it("uses a whole body as a stream as fetch's body is used: locked, released, iterated, piped", async () => {
    /** What each way of reading the body gives, for a response from either fetch. */
    const uses = async (get: () => Promise<Response>) => {
      const seen: unknown[] = [];
      const first = await get();
      const reader = first.body!.getReader();
      seen.push(first.body!.locked, first.bodyUsed);
      try {
        first.body!.getReader();
        seen.push('a second reader');
      } catch (e) {
        seen.push((e as Error).constructor.name);
      }
      const chunk = await reader.read();
      seen.push(new TextDecoder().decode(chunk.value), first.bodyUsed);
      reader.releaseLock();
      seen.push(first.body!.locked);
      await reader.read().catch((e: Error) => seen.push(e.constructor.name));
      // A new reader goes on from where the first stopped: the end.
      seen.push((await first.body!.getReader().read()).done);

      let iterated = '';
      for await (const piece of (await get()).body as unknown as AsyncIterable<Uint8Array>)
        iterated += new TextDecoder().decode(piece);
      seen.push(iterated);

      let piped = '';
      const decoded = (await get()).body!.pipeThrough(new TextDecoderStream()).getReader();
      for (let next = await decoded.read(); !next.done; next = await decoded.read()) piped += next.value;
      seen.push(piped);

      const cancelled = await get();
      await cancelled.body!.cancel();
      seen.push((await cancelled.body!.getReader().read()).done);
      return seen;
    };
    const lean = await uses(() => leanFetch(`${url}/headers`, { method: 'POST', body: '{}' }));
    expect(lean).toEqual(await uses(() => fetch(`${url}/headers`, { method: 'POST', body: '{}' })));
    expect(lean).toContain(BODY);
  });

  it('answers a 204 with no body, as fetch does', async () => {
    const lean = await leanFetch(`${url}/empty`, { method: 'POST', body: '{}' });
    const global = await fetch(`${url}/empty`, { method: 'POST', body: '{}' });
    expect([lean.status, lean.body, await lean.text()]).toEqual([global.status, global.body, await global.text()]);
  });

  it('hands an event stream over as it comes: the first event is read before the second is sent', async () => {
    const res = await leanFetch(`${url}/stream`, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('first')) text += decoder.decode((await reader.read()).value, { stream: true });
    expect(text).not.toContain('second');
    firstRead();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += decoder.decode(chunk.value, { stream: true });
    expect(text).toBe('data: {"delta":"first"}\n\ndata: {"delta":"second"}\n\ndata: [DONE]\n\n');
  });
});
