import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { createUser } from '../../server/people/people.repository.ts';
import { nextAssignment, skipTask } from '../../server/studies/assignment.ts';
import { createStudy, findStudy, joinStudy } from '../../server/studies/study.repository.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { plainStudySettings } from '../support/study-fixtures.ts';

// Assignment orders scenarios by a pool each process keeps up to a second (server/studies/study-pool.ts):
// the study's scenarios with their versions, and how full each is. A kept pool may lag an edit or
// another process's leases, so it may only ever order the candidates: the lease must still go on the
// scenario's current version, and "nothing left to rate" must come from a fresh read. The clock the
// pool ages by is held still here, so every call after the first is sure to use the kept pool.

let server: TestServer;
let otherProcess: Db;

beforeAll(async () => {
  server = await startTestServer({
    files: { 'honesty/pool-a.yaml': validScenarioText('pool-a'), 'honesty/pool-b.yaml': validScenarioText('pool-b') },
  });
  otherProcess = openDatabase(server.services.config.databasePath);
});
afterAll(async () => {
  await otherProcess?.destroy();
  await server?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function studyOver(scenarioIds: string[], ratersPerItem: number, raterCount: number) {
  const studyId = await createStudy(server.db, plainStudySettings('Pool', ratersPerItem), scenarioIds, null);
  const raters = [];
  for (let i = 0; i < raterCount; i++) {
    const rater = await createUser(server.db, { role: 'rater', kind: 'invite', name: `P${i}` });
    await joinStudy(server.db, studyId, rater.id);
    raters.push(rater);
  }
  return { study: (await findStudy(server.db, studyId))!, raters };
}

/** Holds the clock study-pool.ts ages its pools by: a pool read now stays kept. */
function holdPoolClock() {
  const now = performance.now();
  vi.spyOn(performance, 'now').mockReturnValue(now);
}

describe('the study pool assignment keeps', () => {
  it('never leases the version a kept pool remembers once the scenario has a new one', async () => {
    const { study, raters } = await studyOver(['pool-a'], 3, 2);
    holdPoolClock();
    const first = await nextAssignment(server.db, study, raters[0]!);
    expect(first.kind).toBe('task');
    // Another process re-indexes an edit of the scenario (its row gets the new version).
    await otherProcess
      .updateTable('scenario')
      .set({ content_hash: 'edited-version', rater_view_hash: 'edited-view' })
      .where('id', '=', 'pool-a')
      .execute();
    const second = await nextAssignment(server.db, study, raters[1]!);
    expect(second).toMatchObject({ kind: 'task', contentHash: 'edited-version', raterViewHash: 'edited-view' });
    const leases = await server.db
      .selectFrom('lease')
      .select('content_hash')
      .where('study_id', '=', study.id)
      .execute();
    expect(leases.map((l) => l.content_hash).sort()).toEqual([
      expect.not.stringMatching(/^edited/) as unknown as string,
      'edited-version',
    ]);
  });

  it('says there is nothing left only after a fresh read: a slot freed this second is handed out', async () => {
    const { study, raters } = await studyOver(['pool-b'], 1, 2);
    holdPoolClock();
    const first = await nextAssignment(server.db, study, raters[0]!);
    if (first.kind !== 'task') throw new Error(`no task: ${first.reason}`);
    // The kept pool now counts pool-b full (one rater per item); the skip gives the slot back.
    expect(await skipTask(server.db, study, raters[0]!, first.leaseId, null)).toBe('skipped');
    const second = await nextAssignment(server.db, study, raters[1]!);
    expect(second).toMatchObject({ kind: 'task', scenarioId: 'pool-b' });
    // And when it is truly full, the answer is done.
    const third = await nextAssignment(server.db, study, raters[0]!);
    expect(third).toMatchObject({ kind: 'done', reason: 'no-more-tasks' });
  });
});
