import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { readSse } from '../support/sse.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';
import { modelsYaml } from './dryrun-fixtures.ts';
import { storedTexts } from '../support/test-database.ts';

// The key comes from the local secrets file; the fake provider rejects it and, like some real
// providers, echoes it back in its error message. Nothing the server sends or stores may hold it.
const KEY = 'sk-secret-from-file-ZXCVBNM1234567890';

let fake: FakeServer;
let server: TestServer;
const logged: string[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI({
    // A careless provider: its 401 quotes the whole key it was sent.
    script: (req) => ({
      status: 401,
      errorMessage: `Incorrect API key provided: ${req.headers.authorization?.replace('Bearer ', '')}`,
    }),
  });
  server = await startTestServer({
    models: modelsYaml({
      openaiUrl: fake.url,
      maxRetries: 0,
      roles: { escalation_drafter: 'gpt-fake', referee: 'gpt-fake' },
    }),
    secrets: `# local secrets\nFAKE_OPENAI_KEY="${KEY}"\n`,
    env: {},
  });
  for (const level of ['log', 'error', 'warn', 'info'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server.close();
  await fake.close();
});

describe('API keys stay on the server', () => {
  it('the provider really was called with the key from the secrets file', async () => {
    const res = await server.fetch(`/api/dryruns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: validScenarioText(), model: 'gpt-fake' }),
    });
    let stream = '';
    for await (const m of readSse(res)) stream += `${m.event}\n${m.data}\n`;
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(stream).toMatch(/"code":"auth"/);
    expect(stream).toContain('Incorrect API key provided: [redacted]');
    expect(stream).not.toContain(KEY);
  });

  it('no API response holds the key', async () => {
    const runs = (await (
      await server.fetch(`/api/dryruns?scenarioId=sycophancy-pitch-deck-unit-economics`)
    ).json()) as { dryRuns: { id: string }[] };
    expect(runs.dryRuns.length).toBeGreaterThan(0);
    const id = runs.dryRuns[0]!.id;
    const responses = await Promise.all(
      [
        ['GET', '/api/health'],
        ['GET', '/api/models'],
        ['GET', '/api/taxonomy'],
        ['GET', '/api/taxonomy/scenario-schema'],
        ['GET', '/api/scenarios'],
        ['GET', `/api/dryruns?scenarioId=sycophancy-pitch-deck-unit-economics`],
        ['GET', `/api/dryruns/${id}`],
        ['GET', `/api/dryruns/${id}/export`],
        ['POST', '/api/dryruns/escalate', { content: validScenarioText() }],
        ['GET', '/api/no-such-route'],
      ].map(async ([method, path, body]) => {
        const res = await server.fetch(path as string, {
          method: method as string,
          headers: { 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { path, status: res.status, text: await res.text(), headers: JSON.stringify([...res.headers]) };
      }),
    );
    const models = JSON.parse(responses[1]!.text) as { models: { id: string; ready: boolean }[] };
    expect(models.models).toEqual([expect.objectContaining({ id: 'gpt-fake', ready: true })]);
    expect(responses.find((r) => r.path === '/api/dryruns/escalate')!.status).toBe(502);
    for (const r of responses) {
      expect(r.text, r.path as string).not.toContain(KEY);
      expect(r.headers, r.path as string).not.toContain(KEY);
    }
  });

  it('the database and the log never hold the key', async () => {
    // The SQLite files byte for byte, or every row of every table on PostgreSQL.
    const stored = await storedTexts(server.dir, server.services.config.databasePath);
    expect(stored.length).toBeGreaterThan(0);
    for (const { where, text } of stored) expect(text.includes(KEY), where).toBe(false);
    expect(logged.join('\n')).not.toContain(KEY);
  });

  it('the built client holds no key', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
    const files = walk(join(PROJECT_ROOT, 'dist/client'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(f).includes(KEY), f).toBe(false);
  });
});
