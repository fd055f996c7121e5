import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanFetch } from '../../server/models/lean-fetch.ts';

// The run engine's fetch (lean-fetch.ts) asks for gzip and deflate as Node's fetch does, so it must
// undo them as fetch does; the provider fakes never compress, so this server does. Each answer is
// compared with what the global fetch makes of the same response.

const BODY = JSON.stringify({ id: 'chatcmpl-1', choices: [{ message: { role: 'assistant', content: 'Fine.' } }] });
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
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
});
