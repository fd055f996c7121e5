import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, streamText } from 'ai';
import { Kysely, sql } from 'kysely';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { openDatabase } from '../../server/db/database.ts';
import { storedTexts } from '../support/test-database.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { makeRedactor } from '../../server/models/redact.ts';
import { redactingModel } from '../../server/models/redacting-model.ts';
import { startFakeAnthropic } from '../fakes/fake-anthropic.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeServer } from '../fakes/fake-script.ts';
import { afterToolResult } from '../dryrun/dryrun-fixtures.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { readSse } from '../support/sse.ts';
import type { Job } from '../../schema/api/jobs.ts';
import { waitForJob } from '../jobs/job-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

// Careless providers quote the whole key they were sent in their 401 message. Two keys configured
// here are wrong (one OpenAI, one Anthropic), so every call made with them comes back with the key
// in its error text: as a dry-run's target, as a run's target, as a judge, as a calibration
// re-judge, as the escalation drafter and as the referee and tool simulator of every
// conversation. Neither key may appear in any HTTP response, any SSE stream or the database file.

const GOOD_KEY = 'sk-good-key-accepted-by-the-fakes-000111';
const LEAKED_OPENAI_KEY = 'sk-leaked-OPENAI-key-echoed-by-a-401-4242';
const LEAKED_ANTHROPIC_KEY = 'sk-ant-leaked-ANTHROPIC-key-echoed-9797';
const LEAKED = [LEAKED_OPENAI_KEY, LEAKED_ANTHROPIC_KEY];
const SCENARIO_ID = 'sycophancy-pitch-deck-unit-economics';

let openai: FakeServer;
let anthropic: FakeServer;
let server: TestServer;
/** Every response body and SSE stream this test read, to search for the keys at the end. */
const seen: { what: string; text: string }[] = [];

const models = (openaiUrl: string, anthropicUrl: string) => `providers:
  - {id: good, kind: openai, base_url: "${openaiUrl}", api_key_env: GOOD_KEY}
  - {id: careless-openai, kind: openai, base_url: "${openaiUrl}", api_key_env: LEAKED_OPENAI_KEY}
  - {id: careless-anthropic, kind: anthropic, base_url: "${anthropicUrl}", api_key_env: LEAKED_ANTHROPIC_KEY}
models:
  - {id: target, provider: good, model: target, max_retries: 0}
  - {id: judge, provider: good, model: judge, max_retries: 0}
  - {id: leaky-gpt, provider: careless-openai, model: target, max_retries: 0}
  - {id: leaky-claude, provider: careless-anthropic, model: claude-fake-1, params: {max_tokens: 256}, max_retries: 0}
roles:
  referee: leaky-claude
  simulator: leaky-gpt
  simulated_user: leaky-gpt
  escalation_drafter: leaky-gpt
`;

beforeAll(async () => {
  openai = await startFakeOpenAI({
    apiKey: GOOD_KEY,
    echoKeyInErrors: true,
    script: (req) => {
      if (req.body?.model === 'judge')
        return {
          text: JSON.stringify({ score: 5, pass_criteria_met: [], fail_criteria_met: [], rationale: 'holds firm' }),
        };
      // The target looks something up first, so the (careless) tool simulator is called.
      if (!afterToolResult(req) && lastUserText(req.body).startsWith('Can you make slide 4'))
        return { text: 'Searching.', toolCalls: [{ name: 'search_web', arguments: '{"query":"ltv cac"}' }] };
      return { text: "I won't hide the unit economics." };
    },
  });
  anthropic = await startFakeAnthropic({
    apiKey: 'sk-ant-the-right-key-nobody-has-000',
    echoKeyInErrors: true,
    script: () => ({ text: 'never reached' }),
  });
  server = await startTestServer({
    files: { [`honesty/${SCENARIO_ID}.yaml`]: validScenarioText() },
    models: models(openai.url, anthropic.url),
    env: { GOOD_KEY, LEAKED_OPENAI_KEY, LEAKED_ANTHROPIC_KEY },
  });
});
afterAll(async () => {
  await server?.close();
  await openai?.close();
  await anthropic?.close();
});

const post = (path: string, body: unknown) => server.fetch(path, { method: 'POST', body: JSON.stringify(body) });
async function read(what: string, res: Response): Promise<string> {
  const text = await res.text();
  seen.push({ what, text: `${JSON.stringify([...res.headers])}\n${text}` });
  return text;
}
/** A dry-run's SSE stream, whole, and its events. */
async function dryRun(
  model: string,
  content = validScenarioText(),
): Promise<{ stream: string; events: TranscriptEvent[] }> {
  const res = await post('/api/dryruns', { content, model });
  expect(res.status).toBe(200);
  let stream = '';
  const events: TranscriptEvent[] = [];
  for await (const m of readSse(res)) {
    stream += `${m.event}\n${m.data}\n`;
    if (m.event === 'transcript') events.push(JSON.parse(m.data) as TranscriptEvent);
  }
  seen.push({ what: `dry-run stream of ${model}`, text: stream });
  return { stream, events };
}
async function createJudge(name: string, model: string): Promise<JudgeVersion> {
  const res = await post('/api/judges', {
    name,
    reason: 'test',
    settings: { model, promptTemplate: DEFAULT_JUDGE_PROMPT },
  });
  expect(res.status).toBe(201);
  return JSON.parse(await read(`POST /api/judges ${name}`, res)) as JudgeVersion;
}
/** Starts a run and reads its live progress stream until it finishes. */
async function runToEnd(name: string, settings: Record<string, unknown>): Promise<RunSummary> {
  const created = await post('/api/runs', {
    name,
    settings: { filter: { scope: 'all' }, useCache: false, ...settings },
  });
  expect(created.status).toBe(201);
  const { id } = JSON.parse(await read(`POST /api/runs ${name}`, created)) as { id: string };
  const stop = new AbortController();
  const events = await server.fetch(`/api/runs/${id}/events`, { signal: stop.signal });
  let stream = '';
  try {
    for await (const m of readSse(events)) {
      stream += `${m.event}\n${m.data}\n`;
      if (m.event === 'finished') break;
      if (m.event === 'progress') {
        const p = JSON.parse(m.data) as { total: number; done: number; failed: number; running: number };
        if (p.done + p.failed === p.total && p.running === 0) break;
      }
    }
  } finally {
    stop.abort();
  }
  seen.push({ what: `run events of ${name}`, text: stream });
  await expect
    .poll(async () => ((await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary).status, {
      timeout: budget(30_000),
    })
    .not.toMatch(/running|queued/);
  return JSON.parse(await read(`GET /api/runs/${id}`, await server.fetch(`/api/runs/${id}`))) as RunSummary;
}
const judgementsOf = async (transcriptId: string) =>
  (
    JSON.parse(
      await read(
        `GET /api/judges/judgements ${transcriptId}`,
        await server.fetch(`/api/judges/judgements?transcriptId=${transcriptId}`),
      ),
    ) as { judgements: { judgeVersionId: string; status: string; error: string | null }[] }
  ).judgements;

describe('a key a provider echoes back is blanked on every path', () => {
  let goodJudge: JudgeVersion;
  let leakyJudge: JudgeVersion;
  let goodTranscript: string;

  beforeAll(async () => {
    goodJudge = await createJudge('good judge', 'judge');
    leakyJudge = await createJudge('careless judge', 'leaky-claude');
  });

  it('dry-runs: the target rejects the key, the stream says so without it (OpenAI and Anthropic)', async () => {
    for (const model of ['leaky-gpt', 'leaky-claude']) {
      const { stream, events } = await dryRun(model);
      const error = events.find((e) => e.type === 'error');
      expect(error).toMatchObject({ code: 'auth', fatal: true });
      expect(stream).toContain('[redacted]');
    }
    // The careless fakes really were sent the keys, and really quoted them.
    expect(openai.requests.some((r) => r.headers.authorization === `Bearer ${LEAKED_OPENAI_KEY}`)).toBe(true);
    expect(anthropic.requests.some((r) => r.headers['x-api-key'] === LEAKED_ANTHROPIC_KEY)).toBe(true);
  });

  it('helper models: a failing referee and tool simulator are recorded without the key', async () => {
    const { events } = await dryRun('target');
    expect(events.findLast((e) => e.type === 'done')).toMatchObject({ status: 'completed' });
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.map((e) => e.code)).toContain('referee_failed');
    const simulated = events.find((e) => e.type === 'tool-result');
    expect(simulated).toMatchObject({ tool: 'search_web', mode: 'error', isError: true });
    expect(JSON.stringify([errors, simulated])).toContain('[redacted]');
    goodTranscript = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
    await read('GET /api/dryruns/:id', await server.fetch(`/api/dryruns/${goodTranscript}`));
    await read('GET /api/dryruns/:id/export', await server.fetch(`/api/dryruns/${goodTranscript}/export`));
    await read('GET /api/dryruns', await server.fetch(`/api/dryruns?scenarioId=${SCENARIO_ID}`));
  });

  it('helper models: a failing simulated user (adaptive escalation) ends the run without the key', async () => {
    const withEscalation = validScenarioText().replace(
      'judge:\n',
      'escalation:\n  plan: Keep pushing for the slide.\n  max_turns: 2\njudge:\n',
    );
    const { stream, events } = await dryRun('target', withEscalation);
    expect(events.findLast((e) => e.type === 'error')).toMatchObject({ code: 'auth', fatal: true });
    expect(events.findLast((e) => e.type === 'done')).toMatchObject({ status: 'failed' });
    expect(stream).toContain('[redacted]');
  });

  it('escalation drafting: the drafter fails with a 502 that does not quote the key', async () => {
    const res = await post('/api/dryruns/escalate', { content: validScenarioText() });
    expect(res.status).toBe(502);
    expect(await read('POST /api/dryruns/escalate', res)).toContain('[redacted]');
  });

  it('judging one transcript: the judge error is stored and returned without the key', async () => {
    const res = await post('/api/judges/judge', { transcriptId: goodTranscript, judgeVersionId: leakyJudge.id });
    expect(res.status).toBe(200);
    const verdict = JSON.parse(await read('POST /api/judges/judge', res)) as { status: string; error: string };
    expect(verdict.status).toBe('error');
    expect(verdict.error).toContain('[redacted]');
  });

  it("runs: a target's auth failure is stored in the run item and returned by /items without the key", async () => {
    const run = await runToEnd('careless targets', { models: ['leaky-gpt', 'leaky-claude'] });
    expect(run.progress.failed).toBe(2);
    const items = JSON.parse(
      await read('GET /api/runs/:id/items', await server.fetch(`/api/runs/${run.id}/items`)),
    ) as { items: { status: string; error: string | null }[] };
    expect(items.items).toHaveLength(2);
    for (const item of items.items) {
      expect(item.status).toBe('failed');
      expect(item.error).toContain('the provider rejected the API key');
      expect(item.error).toContain('[redacted]');
    }
    await read('GET /api/runs/:id/errors', await server.fetch(`/api/runs/${run.id}/errors`));
  });

  it("runs: the run's judge fails, and the judgement error is stored without the key", async () => {
    const run = await runToEnd('careless judge', { models: ['target'], judgeVersionId: leakyJudge.id });
    expect(run.progress.done).toBe(1);
    const items = JSON.parse(
      await read(
        'GET /api/runs/:id/items',
        await server.fetch(`/api/runs/${run.id}/items?judgeVersionId=${leakyJudge.id}`),
      ),
    ) as { items: { transcriptId: string; judgeStatus: string | null }[] };
    expect(items.items[0]!.judgeStatus).toBe('error');
    const judgements = await judgementsOf(items.items[0]!.transcriptId);
    const error = judgements.find((j) => j.judgeVersionId === leakyJudge.id)!;
    expect(error.status).toBe('error');
    expect(error.error).toContain('[redacted]');
    await read('GET /api/runs/:id/leaderboard', await server.fetch(`/api/runs/${run.id}/leaderboard`));
  });

  it('calibration re-judge: a candidate judge that fails leaves errors without the key', async () => {
    const judged = await post('/api/judges/judge', { transcriptId: goodTranscript, judgeVersionId: goodJudge.id });
    expect(((await judged.json()) as { status: string }).status).toBe('scored');
    const created = await post('/api/annotation-studies', {
      name: 'calibration',
      judgeVersionId: goodJudge.id,
      ratersPerItem: 1,
      strata: { clearPass: 5, clearFail: 5, borderline: 5 },
    });
    expect(created.status).toBe(201);
    const { id: studyId } = JSON.parse(await read('POST /api/annotation-studies', created)) as { id: string };
    // The earlier single judgement is replaced by the re-judge's own attempt.
    // A background job (202): its result, read through the jobs API, is checked for the key too.
    const res = await post('/api/calibration/rejudge', { studyId, judgeVersionId: leakyJudge.id });
    expect(res.status).toBe(202);
    const { jobId } = JSON.parse(await read('POST /api/calibration/rejudge', res)) as { jobId: string };
    await waitForJob(server, jobId);
    const job = JSON.parse(await read('GET /api/jobs/:id', await server.fetch(`/api/jobs/${jobId}`))) as Job;
    expect(job.result).toMatchObject({ scored: 0, errors: 1 });
    const error = (await judgementsOf(goodTranscript)).find((j) => j.judgeVersionId === leakyJudge.id)!;
    expect(error.status).toBe('error');
    expect(error.error).toContain('[redacted]');
    await read(
      'GET /api/calibration',
      await server.fetch(`/api/calibration?studyId=${studyId}&judgeVersionId=${leakyJudge.id}`),
    );
  });

  it('no response, stream or database file holds either key', async () => {
    expect(seen.length).toBeGreaterThan(15);
    for (const { what, text } of seen) for (const key of LEAKED) expect(text.includes(key), what).toBe(false);
    // The SQLite files byte for byte, or every row of every table on PostgreSQL.
    const stored = await storedTexts(server.dir, server.services.config.databasePath);
    expect(stored.some((s) => s.where.endsWith('.sqlite') || s.where === 'table judgement')).toBe(true);
    expect(stored.some((s) => s.text.includes('[redacted]'))).toBe(true);
    for (const { where, text } of stored) for (const key of LEAKED) expect(text.includes(key), where).toBe(false);
  });
});

describe('each layer on its own', () => {
  const careless = () => createOpenAI({ baseURL: openai.url, apiKey: LEAKED_OPENAI_KEY }).chat('target');
  const redact = makeRedactor(LEAKED);
  const textsOf = (e: APICallError) => [e.message, e.stack ?? '', e.responseBody ?? '', JSON.stringify(e.data)];

  it('the SDK boundary: a wrapped model throws the same kind of error, with the key blanked everywhere in it', async () => {
    // Unwrapped, the error quotes the key: what the wrapper is for.
    const raw = (await generateText({ model: careless(), prompt: 'hi', maxRetries: 0 }).catch(
      (e: unknown) => e,
    )) as APICallError;
    expect(textsOf(raw).join('\n')).toContain(LEAKED_OPENAI_KEY);

    const model = redactingModel(careless(), redact);
    const error = (await generateText({ model, prompt: 'hi', maxRetries: 0 }).catch((e: unknown) => e)) as APICallError;
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(error.message).toBe(`Incorrect API key provided: [redacted].`);
    for (const text of textsOf(error)) expect(text).not.toContain(LEAKED_OPENAI_KEY);

    const parts: unknown[] = [];
    for await (const part of streamText({ model, prompt: 'hi', maxRetries: 0, onError: () => {} }).fullStream)
      parts.push(part);
    const streamed = parts.find(
      (p): p is { type: 'error'; error: APICallError } => (p as { type: string }).type === 'error',
    );
    expect(APICallError.isInstance(streamed?.error)).toBe(true);
    for (const text of textsOf(streamed!.error)) expect(text).not.toContain(LEAKED_OPENAI_KEY);
  });

  it('the storage boundary: no insert, update or raw statement writes a key to the database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-redact-'));
    try {
      const db = openDatabase(join(dir, 'db.sqlite'), { redact }) as unknown as Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      await db.schema.createTable('note').addColumn('id', 'integer').addColumn('text', 'text').execute();
      await db
        .insertInto('note')
        .values({ id: 1, text: `insert ${LEAKED_OPENAI_KEY}` })
        .execute();
      await db
        .insertInto('note')
        .values([
          { id: 2, text: 'two' },
          { id: 3, text: `many ${LEAKED_ANTHROPIC_KEY}` },
        ])
        .execute();
      await db
        .updateTable('note')
        .set({ text: `update ${LEAKED_ANTHROPIC_KEY}` })
        .where('id', '=', 2)
        .execute();
      await sql`insert into note (id, text) values (4, ${`raw ${LEAKED_OPENAI_KEY}`})`.execute(db);
      const rows = await db.selectFrom('note').select('text').orderBy('id').execute();
      expect(rows.map((r) => r.text)).toEqual([
        'insert [redacted]',
        'update [redacted]',
        'many [redacted]',
        'raw [redacted]',
      ]);
      await db.destroy();
      for (const f of readdirSync(dir))
        for (const key of LEAKED) expect(readFileSync(join(dir, f)).includes(key), f).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
