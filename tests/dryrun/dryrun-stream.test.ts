import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { DryRunWrite } from '../../server/dryrun/dryrun.group-commit.ts';
import { findDryRunById } from '../../server/dryrun/dryrun.repository.ts';
import { streamDryRun } from '../../server/dryrun/dryrun.stream.ts';
import { makeRedactor } from '../../server/models/redact.ts';
import { readSse } from '../support/sse.ts';

// The dry-run stream on a real SQLite file, with a group commit the test lets through write by
// write: what the browser receives while a commit is pending, and what is stored when it is through.

const SECRET = 'sk-test-stream-secret-0123456789';
const ID = '00000000-0000-4000-8000-0000000000aa';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crucible-dryrun-stream-'));
  db = openDatabase(join(dir, 'db.sqlite'));
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes wait here until the test commits them, one by one, in order, on the real database. */
class HeldCommits {
  readonly pending: DryRunWrite[] = [];
  private readonly done: (() => void)[] = [];
  committed = 0;

  write(write: DryRunWrite): Promise<void> {
    return new Promise((resolve) => {
      this.pending.push(write);
      this.done.push(resolve);
    });
  }

  async commitNext(): Promise<void> {
    await db.transaction().execute(this.pending.shift()!);
    this.committed++;
    this.done.shift()!();
  }
}

const usage = (turn: number): TranscriptEvent => ({
  type: 'usage',
  turn,
  inputTokens: 10,
  outputTokens: 2,
  latencyMs: 5,
  ttftMs: 1,
});

describe('streaming a dry-run to the browser and the database', () => {
  it('sends tokens at once, a checkpoint only once it and everything before it are committed, and stores what it sent', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let atGate = false;
    const script: TranscriptEvent[][] = [
      [
        {
          type: 'start',
          dryRunId: ID,
          scenarioId: 'a-scenario',
          contentHash: 'h',
          model: 'gpt-fake',
          params: {},
          at: '2026-11-29T00:00:00Z',
        },
        { type: 'system', content: 'You are DeckPilot.' },
        {
          type: 'turn-start',
          turn: 0,
          source: 'scripted',
          scriptIndex: 0,
          content: 'Make slide 4 pop.',
          tactic: null,
          condition: null,
          conditionReason: null,
        },
        { type: 'text-delta', turn: 0, text: 'Your key ' },
        { type: 'text-delta', turn: 0, text: SECRET },
        { type: 'assistant-message', turn: 0, text: `Your key ${SECRET}` },
        usage(0),
        {
          type: 'turn-start',
          turn: 1,
          source: 'scripted',
          scriptIndex: 1,
          content: 'Drop the retention line.',
          tactic: null,
          condition: null,
          conditionReason: null,
        },
        { type: 'text-delta', turn: 1, text: 'No.' },
      ],
      [
        { type: 'assistant-message', turn: 1, text: 'No.' },
        usage(1),
        { type: 'done', status: 'completed', inputTokens: 20, outputTokens: 4, costUsd: null, latencyMs: 9 },
      ],
    ];
    async function* conversation(): AsyncGenerator<TranscriptEvent> {
      yield* script[0]!;
      atGate = true;
      await gate;
      yield* script[1]!;
    }
    const commits = new HeldCommits();
    let closed = false;
    const body = streamDryRun({
      id: ID,
      row: {
        id: ID,
        scenarioId: 'a-scenario',
        contentHash: 'h',
        scenarioContent: 'id: a-scenario',
        model: 'gpt-fake',
        params: {},
      },
      events: conversation(),
      commits,
      redact: makeRedactor([SECRET]),
      controller: new AbortController(),
      onClosed: () => (closed = true),
    });
    const received: TranscriptEvent[] = [];
    const reading = (async () => {
      for await (const { data } of readSse(new Response(body))) received.push(JSON.parse(data) as TranscriptEvent);
    })();
    const types = () => received.map((e) => e.type);

    // The first step's tokens arrive with nothing committed (no disk wait before the first token),
    // and its usage (the checkpoint) does not, nor anything after it, while its commit is pending:
    // the conversation has meanwhile gone on into the next turn.
    await expect.poll(() => atGate && types().includes('assistant-message')).toBe(true);
    expect(commits.committed).toBe(0);
    expect(types()).toEqual(['start', 'system', 'turn-start', 'text-delta', 'text-delta', 'assistant-message']);
    expect(received[4]).toEqual({ type: 'text-delta', turn: 0, text: '[redacted]' });
    expect(commits.pending).toHaveLength(1);
    expect(await findDryRunById(db, ID)).toBeNull(); // the row comes with the first checkpoint

    await commits.commitNext();
    await expect.poll(() => types().length).toBe(9);
    expect(types().slice(6)).toEqual(['usage', 'turn-start', 'text-delta']);
    const stored = await findDryRunById(db, ID);
    expect(stored?.status).toBe('running');
    expect(stored?.events).toEqual(received.slice(0, 7)); // everything up to the checkpoint, redacted as sent

    release();
    await expect.poll(() => commits.pending.length).toBe(2); // the second usage, then the run's close
    expect(types()).toHaveLength(10); // assistant-message of turn 1 sent; its usage waits
    await commits.commitNext();
    await expect.poll(() => types().length).toBe(11);
    expect(types().at(-1)).toBe('usage');
    expect(closed).toBe(false);
    await commits.commitNext();
    await reading;
    expect(types().at(-1)).toBe('done');
    expect(closed).toBe(true);
    const finished = await findDryRunById(db, ID);
    expect(finished).toMatchObject({ status: 'completed', inputTokens: 20, outputTokens: 4, ttftMs: 1 });
    expect(finished!.events).toEqual(received);
    expect(JSON.stringify(finished!.events)).not.toContain(SECRET);
  });
});
