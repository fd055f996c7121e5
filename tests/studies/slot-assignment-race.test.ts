import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateAnnotationStudyRequestSchema } from '../../schema/api/annotation.ts';
import {
  createAnnotationStudy,
  findAnnotationStudy,
  nextAnnotationLease,
} from '../../server/annotation/annotation.store.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { createUser } from '../../server/people/people.repository.ts';
import type { UserRow } from '../../server/people/people.table.ts';
import { nextAssignment, submitRating, type Assignment } from '../../server/studies/assignment.ts';
import { createStudy, findStudy, joinStudy } from '../../server/studies/study.repository.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';
import { plainStudySettings } from '../support/study-fixtures.ts';

// Issue 16 point 2: realism assignment on PostgreSQL locks one scenario's study_item row (FOR NO
// KEY UPDATE SKIP LOCKED) instead of the whole study, and annotation assignment one transcript's
// annotation_item row. Many raters ask for a task at the same moment
// through two connection pools on one database (two server processes, as far as PostgreSQL can
// tell); every slot must be handed out exactly once: no scenario over-filled, and no rater told
// "no more tasks" while a slot is free behind another assignment's lock. The last test removes the
// lock and shows these checks catch the over-fill it lets through.

let unlocked = false;
vi.mock('../../server/db/slot-locks.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/db/slot-locks.ts')>();
  return {
    ...real,
    lockFirstFreeItem: (...args: Parameters<typeof real.lockFirstFreeItem>) =>
      unlocked ? Promise.resolve(args[2][0] ?? null) : real.lockFirstFreeItem(...args),
  };
});

const SCENARIOS = ['race-a', 'race-b', 'race-c', 'race-d'];
const RATERS_PER_ITEM = 2;
const RATERS = 24;
let server: TestServer;
let pools: Db[];

beforeAll(async () => {
  if (testBackend !== 'postgres') return;
  server = await startTestServer({
    files: Object.fromEntries(SCENARIOS.map((id) => [`honesty/${id}.yaml`, validScenarioText(id)])),
  });
  pools = [server.db, openDatabase(server.services.config.databasePath)];
});
afterAll(async () => {
  await pools?.[1]?.destroy();
  await server?.close();
});

/** A fresh study over the scenarios, and raters who joined it. */
async function studyWithRaters(): Promise<{ studyId: string; raters: UserRow[] }> {
  const studyId = await createStudy(server.db, plainStudySettings('Race', RATERS_PER_ITEM), SCENARIOS, null);
  const raters = await Promise.all(
    Array.from({ length: RATERS }, async (_, i) => {
      const rater = await createUser(server.db, { role: 'rater', kind: 'invite', name: `R${i}` });
      await joinStudy(server.db, studyId, rater.id);
      return rater;
    }),
  );
  return { studyId, raters };
}

/** Every rater asks at once, alternately through either pool; the leases held afterwards per scenario. */
async function race(studyId: string, raters: UserRow[]) {
  const study = (await findStudy(server.db, studyId))!;
  const answers: Assignment[] = await Promise.all(raters.map((r, i) => nextAssignment(pools[i % 2]!, study, r)));
  const leases = await server.db.selectFrom('lease').select('scenario_id').where('study_id', '=', studyId).execute();
  const perScenario = new Map<string, number>();
  for (const l of leases) perScenario.set(l.scenario_id, (perScenario.get(l.scenario_id) ?? 0) + 1);
  return { study, answers, perScenario };
}

describe.runIf(testBackend === 'postgres')('realism assignment racing over two connection pools', () => {
  it(
    'hands out every slot exactly once, however the assignments interleave',
    async () => {
      for (let round = 0; round < 5; round++) {
        const { studyId, raters } = await studyWithRaters();
        const { study, answers, perScenario } = await race(studyId, raters);
        const tasks = answers.filter((a) => a.kind === 'task');
        expect(tasks).toHaveLength(SCENARIOS.length * RATERS_PER_ITEM);
        expect(answers.filter((a) => a.kind === 'done').map((a) => a.kind === 'done' && a.reason)).toEqual(
          Array(RATERS - tasks.length).fill('no-more-tasks'),
        );
        expect([...perScenario.values()]).toEqual(Array(SCENARIOS.length).fill(RATERS_PER_ITEM));

        // Ratings submitted while the others ask again: a lease turning into a rating frees no slot.
        const holders = raters.filter((_, i) => answers[i]!.kind === 'task');
        const waiting = raters.filter((_, i) => answers[i]!.kind === 'done');
        const [submits, again] = await Promise.all([
          Promise.all(
            holders.map((r, i) => {
              const a = answers[raters.indexOf(r)]! as Assignment & { kind: 'task' };
              return submitRating(pools[i % 2]!, study, r, { leaseId: a.leaseId, realism: 3, flags: [], comment: '' });
            }),
          ),
          Promise.all(waiting.map((r, i) => nextAssignment(pools[(i + 1) % 2]!, study, r))),
        ]);
        expect(submits.every((s) => s.ok)).toBe(true);
        expect(again.filter((a) => a.kind === 'task')).toEqual([]);
        const ratings = await server.db
          .selectFrom('realism_rating')
          .select('scenario_id')
          .where('study_id', '=', studyId)
          .execute();
        expect(ratings).toHaveLength(SCENARIOS.length * RATERS_PER_ITEM);
      }
    },
    budget(60_000),
  );

  it(
    'over-fills scenarios without the slot lock (the checks above catch it)',
    async () => {
      unlocked = true;
      try {
        let overFilled = 0;
        // Without the lock the race is lost nearly every round; a few rounds make it certain enough.
        for (let round = 0; round < 20 && overFilled === 0; round++) {
          const { studyId, raters } = await studyWithRaters();
          const { perScenario } = await race(studyId, raters);
          overFilled = [...perScenario.values()].filter((n) => n > RATERS_PER_ITEM).length;
        }
        expect(overFilled).toBeGreaterThan(0);
      } finally {
        unlocked = false;
      }
    },
    budget(60_000),
  );
});

describe.runIf(testBackend === 'postgres')('annotation assignment racing over two connection pools', () => {
  const TRANSCRIPTS = ['t-race-1', 't-race-2', 't-race-3'];
  async function annotationRace() {
    const studyId = await createAnnotationStudy(
      server.db,
      CreateAnnotationStudyRequestSchema.parse({
        name: 'Race',
        judgeVersionId: '00000000-0000-4000-8000-000000000000',
        ratersPerItem: RATERS_PER_ITEM,
      }),
      TRANSCRIPTS.map((transcriptId) => ({ transcriptId, stratum: 'borderline' as const })),
      null,
    );
    const study = (await findAnnotationStudy(server.db, studyId))!;
    const raters = await Promise.all(
      Array.from({ length: RATERS }, (_, i) => createUser(server.db, { role: 'rater', kind: 'invite', name: `A${i}` })),
    );
    const leases = await Promise.all(raters.map((r, i) => nextAnnotationLease(pools[i % 2]!, study, r)));
    const perTranscript = new Map<string, number>();
    for (const l of leases) if (l) perTranscript.set(l.transcriptId, (perTranscript.get(l.transcriptId) ?? 0) + 1);
    return { leases, perTranscript };
  }

  it(
    'hands out every slot exactly once',
    async () => {
      for (let round = 0; round < 5; round++) {
        const { leases, perTranscript } = await annotationRace();
        expect(leases.filter((l) => l !== null)).toHaveLength(TRANSCRIPTS.length * RATERS_PER_ITEM);
        expect([...perTranscript.values()]).toEqual(Array(TRANSCRIPTS.length).fill(RATERS_PER_ITEM));
      }
    },
    budget(60_000),
  );

  it(
    'over-fills transcripts without the slot lock (the check above catches it)',
    async () => {
      unlocked = true;
      try {
        let overFilled = 0;
        for (let round = 0; round < 20 && overFilled === 0; round++)
          overFilled = [...(await annotationRace()).perTranscript.values()].filter((n) => n > RATERS_PER_ITEM).length;
        expect(overFilled).toBeGreaterThan(0);
      } finally {
        unlocked = false;
      }
    },
    budget(60_000),
  );
});
