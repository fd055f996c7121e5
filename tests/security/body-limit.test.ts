import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The API's body limit (server/http/body-limit.ts) judges a request that states its length by its
// Content-Length header and counts a chunked body (no length stated) as it arrives. Both must refuse
// a body over the limit with the error envelope and pass one under it through intact.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 2048 });
});
afterAll(() => server?.close());

/** POSTs `body` to the sign-in endpoint in chunks, with no Content-Length: Transfer-Encoding: chunked. */
function postChunked(path: string, body: string): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 500) req.write(body.slice(i, i + 500));
    req.end();
  });
}

// JSON may end in white space: the padding makes the size without adding a field the endpoint refuses.
const login = (padding: number) =>
  JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }) + ' '.repeat(padding);

describe('the request body limit', () => {
  it('refuses a body whose stated length is over the limit with 413 payload_too_large', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: login(3000),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('refuses a chunked body over the limit, counted as it arrives', async () => {
    const res = await postChunked('/api/auth/login', login(3000));
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('reads a body under the limit whole, stated or chunked (the sign-in is refused for its password, not its body)', async () => {
    const stated = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: login(1000),
    });
    expect(stated.status).toBe(401);
    const chunked = await postChunked('/api/auth/login', login(1000));
    expect(chunked.status).toBe(401);
  });
});
