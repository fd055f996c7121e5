import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { tokenHash } from '../../server/people/people.repository.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Guarded requests keep the session they found for at most a second per process
// (server/people/kept-sessions.ts). A sign-out through the same process must refuse the token at
// once; a session removed by another process (here a second connection pool on the same database,
// as a second server process would have) within the bound: one kept for ever would let a signed-out
// token in.

let server: TestServer;
let otherProcess: Db;

beforeAll(async () => {
  server = await startTestServer();
  otherProcess = openDatabase(server.services.config.databasePath);
});
afterAll(async () => {
  await otherProcess?.destroy();
  await server?.close();
});

describe('the session a guarded request reads', () => {
  it('refuses the token at once after a sign-out through this process', async () => {
    const author = await server.signIn('author');
    expect((await author.fetch('/api/scenarios')).status).toBe(200); // the session is now kept
    expect((await author.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(200);
    expect((await author.fetch('/api/scenarios')).status).toBe(401);
  });

  it('refuses the token within a second or so once another process removed the session', async () => {
    const author = await server.signIn('author');
    expect((await author.fetch('/api/scenarios')).status).toBe(200);
    const token = author.cookie.split('=')[1]!;
    await otherProcess.deleteFrom('session').where('token_hash', '=', tokenHash(token)).execute();
    await expect
      .poll(async () => (await author.fetch('/api/scenarios')).status, { timeout: budget(5_000), interval: 50 })
      .toBe(401);
  });
});
