import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { seedShippedCalibration } from '../../bench/calibration-seed.ts';
import { poolOf, wantedTranscripts } from '../../server/annotation/annotation-pool.ts';
import { findAnnotationStudy, nextAnnotationLease } from '../../server/annotation/annotation.store.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { createUser } from '../../server/people/people.repository.ts';
import { seededRandom } from '../../server/stats/bootstrap.ts';
import { raterViaInvite } from '../studies/study-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Annotation assignment orders transcripts by a pool each process keeps up to a second
// (server/annotation/annotation-pool.ts): the study's transcripts and how many verdicts and live
// leases each has. A kept pool may lag another process's leases, so it may only order the
// candidates: a transcript must never get more annotators than the study asks for, and "nothing
// left" must come from a fresh read. The clock the pool ages by is held still here, so every call
// after the first is sure to use the kept pool.

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
afterEach(() => {
  vi.restoreAllMocks();
});

/** A study of `transcripts` transcripts with three verdicts each, taking `perItem`, and `annotators` new annotators. */
async function studyOf(transcripts: number, perItem: number, annotators: number) {
  const { studyId } = await seedShippedCalibration(server.db, transcripts);
  await server.db.updateTable('annotation_study').set({ raters_per_item: perItem }).where('id', '=', studyId).execute();
  const people = [];
  for (let i = 0; i < annotators; i++)
    people.push(await createUser(server.db, { role: 'rater', kind: 'invite', name: `A${i}` }));
  const items = await server.db
    .selectFrom('annotation_item')
    .select('transcript_id')
    .where('study_id', '=', studyId)
    .execute();
  return {
    study: (await findAnnotationStudy(server.db, studyId))!,
    people,
    transcripts: items.map((i) => i.transcript_id),
  };
}

/** Holds the clock annotation-pool.ts ages its pools by: a pool read now stays kept. */
function holdPoolClock() {
  const now = performance.now();
  vi.spyOn(performance, 'now').mockReturnValue(now);
}

const verdictsAndLeases = async (studyId: string, transcriptId: string) =>
  (
    await server.db
      .selectFrom('annotation')
      .select('id')
      .where('study_id', '=', studyId)
      .where('transcript_id', '=', transcriptId)
      .unionAll(
        server.db
          .selectFrom('annotation_lease')
          .select('id')
          .where('study_id', '=', studyId)
          .where('transcript_id', '=', transcriptId),
      )
      .execute()
  ).length;

describe('the transcripts an annotator may be given', () => {
  const pool = (filled: Record<string, number>) => poolOf(Object.keys(filled), new Map(Object.entries(filled)), 0);

  it('are the least filled first, never full, set aside or judged by them, at most the limit', () => {
    const p = pool({ a: 2, b: 0, c: 1, d: 0, e: 3, f: Number.POSITIVE_INFINITY, g: 0 });
    const wanted = wantedTranscripts(p, 3, new Set(['g']), 10, seededRandom(1));
    expect(wanted.slice(0, 2).sort()).toEqual(['b', 'd']);
    expect(wanted.slice(2)).toEqual(['c', 'a']);
    const two = wantedTranscripts(p, 3, new Set(), 2, seededRandom(1));
    expect(two).toHaveLength(2);
    for (const id of two) expect(['b', 'd', 'g']).toContain(id);
  });

  it('come in a random order among the equally filled, each order reachable', () => {
    const p = pool({ a: 0, b: 0, c: 0, d: 1 });
    const orders = new Set<string>();
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const wanted = wantedTranscripts(p, 2, new Set(), 2, random);
      expect(wanted).toHaveLength(2);
      expect(wanted.every((id) => id !== 'd')).toBe(true);
      orders.add(wanted.join(','));
    }
    // Two of three equally filled, in order: 3 x 2 ways.
    expect(orders.size).toBe(6);
  });
});

describe('annotation assignment from a kept pool', () => {
  it('never gives a transcript more annotators than asked when another process filled it meanwhile', async () => {
    const { study, people, transcripts } = await studyOf(2, 4, 3);
    holdPoolClock();
    const first = await nextAnnotationLease(server.db, study, people[0]!);
    expect(first).not.toBeNull();
    const other = transcripts.find((t) => t !== first!.transcriptId)!;
    // Another process leases the other transcript's last place; this process's pool still counts 3.
    const now = new Date();
    await otherProcess
      .insertInto('annotation_lease')
      .values({
        id: randomUUID(),
        study_id: study.id,
        transcript_id: other,
        rater_id: people[2]!.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
      })
      .execute();
    expect(await nextAnnotationLease(server.db, study, people[1]!)).toBeNull();
    expect(await verdictsAndLeases(study.id, other)).toBe(4);
  });

  it('says there is nothing left only after a fresh read: a place freed this second is handed out', async () => {
    const { study, people, transcripts } = await studyOf(1, 4, 2);
    holdPoolClock();
    const first = await nextAnnotationLease(server.db, study, people[0]!);
    expect(first?.transcriptId).toBe(transcripts[0]);
    // The kept pool now counts the transcript full; its lease runs out (another process sees to it).
    await otherProcess
      .updateTable('annotation_lease')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', first!.leaseId)
      .execute();
    const second = await nextAnnotationLease(server.db, study, people[1]!);
    expect(second?.transcriptId).toBe(transcripts[0]);
    expect(await verdictsAndLeases(study.id, transcripts[0]!)).toBe(4);
  });
});

describe("an annotator's study, read with their membership in one statement", () => {
  it('is theirs only where they joined; staff may open any', async () => {
    const joined = await studyOf(2, 4, 0);
    const other = await studyOf(2, 4, 0);
    const annotator = await raterViaInvite(server, joined.study.id, 'Joined');
    const next = await annotator.fetch(`/api/rate/annotation/${joined.study.id}/next`);
    expect(next.status).toBe(200);
    const task = (await next.json()) as { kind: string; leaseId: string };
    expect(task.kind).toBe('task');
    for (const path of ['', '/next'])
      expect((await annotator.fetch(`/api/rate/annotation/${other.study.id}${path}`)).status).toBe(404);
    const submit = await annotator.fetch(`/api/rate/annotation/${other.study.id}/annotations`, {
      method: 'POST',
      body: JSON.stringify({ leaseId: task.leaseId, score: 3, reason: 'Held up.', confidence: 3 }),
    });
    expect(submit.status).toBe(404);
    expect(await verdictsAndLeases(other.study.id, other.transcripts[0]!)).toBe(3);
    // The admin (server.fetch) is staff: any study opens for them.
    expect((await server.fetch(`/api/rate/annotation/${other.study.id}`)).status).toBe(200);
  });
});
