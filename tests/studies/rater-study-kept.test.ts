import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextTaskResponse } from '../../schema/api/studies.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { setStudyStatus } from '../../server/studies/study.repository.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRealismStudy, raterViaInvite } from './study-fixtures.ts';

// Rater requests keep the study's row for at most a second per process (server/studies/rater-study.ts).
// A close through the same process must stop new tasks at once; a close by another process (here a
// second connection pool on the same database, as a second server process would have) within the
// bound: a row kept for ever would go on handing out tasks of a closed study.

let server: TestServer;
let otherProcess: Db;

beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
  otherProcess = openDatabase(server.services.config.databasePath);
});
afterAll(async () => {
  await otherProcess?.destroy();
  await server?.close();
});

const nextOf = async (rater: Awaited<ReturnType<typeof raterViaInvite>>, studyId: string) =>
  (await (await rater.fetch(`/api/rate/studies/${studyId}/next`)).json()) as NextTaskResponse;

describe('the study row a rater request reads', () => {
  it('stops handing out tasks at once when this process closes the study', async () => {
    const studyId = await createRealismStudy(server, { ratersPerItem: 3, filter: {} });
    const rater = await raterViaInvite(server, studyId);
    expect((await nextOf(rater, studyId)).kind).toBe('task');
    expect((await server.fetch(`/api/studies/${studyId}/close`, { method: 'POST' })).status).toBe(200);
    const after = await nextOf(rater, studyId);
    expect(after).toMatchObject({ kind: 'done', reason: 'study-closed' });
  });

  it('sees a close by another process within a second or so, and a reopening too', async () => {
    const studyId = await createRealismStudy(server, { ratersPerItem: 3, filter: {} });
    const rater = await raterViaInvite(server, studyId);
    expect((await nextOf(rater, studyId)).kind).toBe('task'); // the row is now kept by the server
    await setStudyStatus(otherProcess, studyId, 'closed');
    await expect
      .poll(async () => ((await nextOf(rater, studyId)) as { reason?: string }).reason, {
        timeout: budget(5_000),
        interval: 50,
      })
      .toBe('study-closed');
    await setStudyStatus(otherProcess, studyId, 'open');
    await expect
      .poll(async () => (await nextOf(rater, studyId)).kind, { timeout: budget(5_000), interval: 50 })
      .toBe('task');
  });
});
