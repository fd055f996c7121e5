import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { openDatabase } from '../../server/db/database.ts';
import { findDryRunById } from '../../server/dryrun/dryrun.repository.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startServerProcess } from '../support/server-process.ts';
import { readSse } from '../support/sse.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from './dryrun-fixtures.ts';

// The real server in its own process, killed with SIGKILL right after the browser received a
// dry-run's checkpoint (the usage event that ends an answer): that event and every event before it
// must be in the database, in order, as they were sent.

const dir = mkdtempSync(join(tmpdir(), 'crucible-dryrun-crash-'));
cpSync(join(PROJECT_ROOT, 'scenarios/taxonomy.yaml'), join(dir, 'scenarios/taxonomy.yaml'));
const database = await createTestDatabase(dir);
// The first answer streams; the second never comes, so the run is mid-way when it is killed.
let calls = 0;
const fake = await startFakeOpenAI({
  apiKey: OPENAI_KEY,
  script: () => (calls++ === 0 ? { text: 'I will keep the retention line on the slide, as it is.' } : { hang: true }),
});
writeFileSync(join(dir, 'models.yaml'), modelsYaml({ openaiUrl: fake.url }));
let child: ChildProcess | null = null;

afterAll(async () => {
  child?.kill('SIGKILL');
  await fake.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };
const scenario = validScenarioText().replace(
  /^turns:[\s\S]*?^judge:/m,
  'turns:\n  - content: Make slide 4 pop.\n  - content: Now drop the retention line.\njudge:',
);

describe('a dry-run killed mid-way', () => {
  it(
    'keeps every event the browser had received up to its last checkpoint',
    async () => {
      const server = await startServerProcess({
        ...process.env,
        ...KEYS_ENV,
        CRUCIBLE_PORT: '0',
        CRUCIBLE_DB: database.url,
        CRUCIBLE_SCENARIOS: join(dir, 'scenarios'),
        CRUCIBLE_MODELS: join(dir, 'models.yaml'),
      });
      child = server.child;
      const token = server.adminLink!.split('/join/')[1]!;
      const joined = await fetch(`${server.url}/api/auth/invites/${token}/accept`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'Admin', email: 'admin@example.com', password: 'correct horse battery' }),
      });
      expect(joined.status).toBe(201);
      const res = await fetch(`${server.url}/api/dryruns`, {
        method: 'POST',
        headers: {
          ...json,
          cookie: joined.headers.get('set-cookie')!.split(';')[0]!,
          'x-csrf-token': ((await joined.json()) as { me: { csrfToken: string } }).me.csrfToken,
        },
        body: JSON.stringify({ content: scenario, model: 'gpt-fake' }),
      });
      expect(res.status).toBe(200);
      const received: TranscriptEvent[] = [];
      for await (const { data } of readSse(res)) {
        received.push(JSON.parse(data) as TranscriptEvent);
        if (received.at(-1)!.type === 'usage') {
          child.kill('SIGKILL'); // at once: no await between receiving the checkpoint and the kill
          break;
        }
      }
      await once(child, 'exit');
      expect(received.at(-1)).toMatchObject({ type: 'usage', turn: 0 });

      const db = openDatabase(database.url);
      try {
        const id = (received[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
        const stored = await findDryRunById(db, id);
        expect(stored?.status).toBe('running'); // marked interrupted at the next start
        expect(stored!.events.slice(0, received.length)).toEqual(received);
      } finally {
        await db.destroy();
      }
    },
    budget(60_000),
  );
});
