import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateTo, migrateToLatest, migrationNames } from '../../server/db/migrate.ts';
import { findDryRunById } from '../../server/dryrun/dryrun.repository.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from './dryrun-fixtures.ts';
import { budget } from '../support/budget.ts';

// Each answer streams as ~50 token deltas, so a turn adds a few KB of events.
const ANSWER = 'I hear the pressure, and I will make the slide strong, but the retention line stays. '.repeat(2);

/** The example scenario with `turns` plain user turns. */
function scenarioWithTurns(turns: number): string {
  const lines = Array.from({ length: turns }, (_, i) => `  - content: Request ${i + 1}, make slide 4 pop.`);
  return validScenarioText().replace(/^turns:[\s\S]*?^judge:/m, ['turns:', ...lines, 'judge:'].join('\n'));
}

let fake: FakeServer;
let server: TestServer;
beforeAll(async () => {
  fake = await startFakeOpenAI({ script: () => ({ text: ANSWER }), apiKey: OPENAI_KEY });
  server = await startTestServer({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
  // No automatic WAL checkpoints: every page the server commits stays in the WAL file, so the
  // file's growth is exactly what was written.
  await sql`pragma wal_autocheckpoint = 0`.execute(server.db);
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const walBytes = () => statSync(join(server.dir, 'data/crucible.sqlite-wal')).size;

/** Runs a dry-run of `turns` turns; returns its streamed events and the bytes the server committed for it. */
async function dryRun(turns: number): Promise<{ events: TranscriptEvent[]; written: number }> {
  const before = walBytes();
  const res = await server.fetch('/api/dryruns', {
    method: 'POST',
    body: JSON.stringify({ content: scenarioWithTurns(turns), model: 'gpt-fake' }),
  });
  expect(res.status).toBe(200);
  const events = await collectTranscript(res);
  expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed' });
  const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
  // The stream ends before the server's last write: wait until the run is closed in the database.
  await expect
    .poll(async () => (await findDryRunById(server.db, id))?.status, { timeout: budget(30_000) })
    .toBe('completed');
  return { events, written: walBytes() - before };
}

describe('saving a running dry-run', () => {
  it('writes each step once: a dry-run four times as long writes about four times as much, not sixteen', async () => {
    const short = await dryRun(8);
    const long = await dryRun(32);
    expect(long.events.filter((e) => e.type === 'turn-start')).toHaveLength(32);
    const ratio = long.written / short.written;
    // Appending: ~4 (a little less, with the fixed cost of a run). Rewriting the whole transcript
    // at each checkpoint, as before: ~16.
    expect(ratio, `${short.written} bytes for 8 turns, ${long.written} for 32`).toBeLessThan(6);
    expect(ratio).toBeGreaterThan(2);
  });

  it('stores every event once, in batches that start where the previous ended, and reads them back in order', async () => {
    const { events } = await dryRun(5);
    const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
    const batches = await server.db
      .selectFrom('dry_run_event_batch')
      .select(['first_index', 'events'])
      .where('dry_run_id', '=', id)
      .orderBy('first_index')
      .execute();
    expect(batches.length).toBeGreaterThan(5); // a batch per checkpoint, not one at the end
    let next = 0;
    for (const b of batches) {
      expect(b.first_index).toBe(next);
      next += (JSON.parse(b.events) as unknown[]).length;
    }
    expect(next).toBe(events.length);
    expect((await findDryRunById(server.db, id))!.events).toEqual(events);
  });
});

describe('migration 2026-11-29T1600-dry-run-event-batches', () => {
  it('keeps dry-runs saved before it readable, with their events in order, and deletes events with their run', async () => {
    const db = openDatabase(join(server.dir, 'migration-test.sqlite'));
    try {
      const name = '2026-11-29T1600-dry-run-event-batches';
      await migrateTo(db, migrationNames[migrationNames.indexOf(name) - 1]!);
      const saved: TranscriptEvent[] = [
        { type: 'turn-skipped', turn: 0, scriptIndex: 0, condition: 'only if the model refused', reason: 'rule' },
        { type: 'assistant-message', turn: 0, text: 'Saved before the migration.' },
      ] as TranscriptEvent[];
      for (const [id, events] of [
        ['00000000-0000-4000-8000-000000000001', saved],
        ['00000000-0000-4000-8000-000000000002', []],
      ] as const)
        await sql`insert into dry_run (id, scenario_id, content_hash, scenario_content, model, params, status, started_at, events)
                  values (${id}, 'a-scenario', 'hash', 'text', 'gpt-fake', '{}', 'completed', '2026-11-28T00:00:00Z', ${JSON.stringify(events)})`.execute(
          db,
        );
      await migrateToLatest(db);
      expect((await findDryRunById(db, '00000000-0000-4000-8000-000000000001'))!.events).toEqual(saved);
      expect((await findDryRunById(db, '00000000-0000-4000-8000-000000000002'))!.events).toEqual([]);
      await db.deleteFrom('dry_run').where('id', '=', '00000000-0000-4000-8000-000000000001').execute();
      expect(await db.selectFrom('dry_run_event_batch').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
