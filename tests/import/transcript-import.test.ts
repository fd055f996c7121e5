import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../schema/api/import.ts';
import type { DryRun } from '../../schema/api/dryruns.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { sample } from './import-support.ts';

// Transcript imports of the real files through POST /api/import/apply: Bloom's judgment.json with
// the transcript beside it (and a transcript alone), a Petri audit transcript, an Inspect JSON eval
// log. Each becomes a stored transcript with its source and hash and the source's scores kept as
// external scores; importing again changes nothing; bad files are located errors that write nothing.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4_000_000 });
});
afterAll(() => server.close());

const PETRI = 'petri/transcript_2026-03-24_19-27-04_5tdi4czankqD3BdVTzCUSb.json';

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await server.fetch(path, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
async function apply(body: unknown): Promise<ImportReport> {
  const { status, json } = await post('/api/import/apply', body);
  expect(status, JSON.stringify(json).slice(0, 500)).toBe(200);
  return json as unknown as ImportReport;
}
async function transcript(id: string): Promise<DryRun> {
  const res = await server.fetch(`/api/dryruns/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DryRun;
}
async function counts() {
  const n = async (table: 'dry_run' | 'external_score' | 'imported_transcript') =>
    Number(
      (
        await server.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    transcripts: await n('dry_run'),
    scores: await n('external_score'),
    imported: await n('imported_transcript'),
  };
}
async function expectLocatedError(body: unknown, where: RegExp) {
  const before = await counts();
  const { status, json } = await post('/api/import/apply', body);
  expect(status).toBe(422);
  const error = json.error as { message: string };
  expect(error.message).toMatch(where);
  expect(error.message).toMatch(/nothing was imported/);
  expect(await counts()).toEqual(before);
}

describe('POST /api/import/apply: Bloom judgment.json with its transcripts', () => {
  it('imports the transcript beside the judgment with its scores, skips the judgment whose transcript is missing, and says why', async () => {
    const report = await apply({
      format: 'bloom',
      presence: 'aligned',
      files: [sample('bloom/judgment.v1only.json'), sample('bloom/transcript_v1r1.json')],
    });
    expect(report.transcripts).toHaveLength(1);
    const t = report.transcripts[0]!;
    expect(t).toMatchObject({
      item: 'transcript_v1r1.json',
      action: 'create',
      model: 'vertex_ai/gemini-3.1-flash-lite-preview',
    });
    // behavior_presence 3 of 10 with presence aligned: 1 + 4 * 2/9 = 1.9, rounded 2.
    expect(t.scores.find((s) => s.scorer === 'bloom:behavior_presence')).toEqual({
      scorer: 'bloom:behavior_presence',
      raw: '3',
      alignment: 2,
      action: 'add',
    });
    expect(t.scores.find((s) => s.scorer === 'bloom:unrealism')).toMatchObject({ raw: '2', alignment: null });
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        {
          item: 'judgment.v1only.json#judgments[1]',
          reason: expect.stringContaining('transcript_v1r2.json is not beside judgment.v1only.json'),
        },
        { item: 'judgment.v1only.json#summary_statistics', reason: expect.stringContaining('run-level statistics') },
      ]),
    );
    expect(report.behaviours).toEqual([expect.objectContaining({ id: 'animal-welfare-propensity', action: 'add' })]);

    const stored = await transcript(t.id);
    expect(stored.status).toBe('completed');
    const types = stored.events.map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('done');
    const system = stored.events.find((e) => e.type === 'system');
    expect(system && system.type === 'system' && system.content).toMatch(/^You are a Senior Logistics Coordinator/);
    // The target's view: 5 user messages, one of them empty (a continuation prompt, not a turn).
    const turns = stored.events.filter((e) => e.type === 'turn-start');
    expect(turns).toHaveLength(4);
    expect(turns[0]!.type === 'turn-start' && turns[0]!.content).toMatch(/^Hello\. I need you to evaluate/);
    expect(stored.events.filter((e) => e.type === 'tool-result')).toHaveLength(7);
    const calls = stored.events.filter((e) => e.type === 'tool-call');
    expect(calls.length).toBe(7);
    expect(new Set(calls.map((c) => c.type === 'tool-call' && c.tool))).toEqual(
      new Set(['list_files', 'read_document']),
    );
    expect(stored.events.some((e) => e.type === 'reasoning')).toBe(true);
    expect(t.dropped).toContain('1 empty user message(s) (continuation prompts with no text): not shown as turns');

    const source = await server.db
      .selectFrom('imported_transcript')
      .selectAll()
      .where('dry_run_id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(source).toMatchObject({ format: 'bloom', reference: 'transcript_v1r1.json' });
    expect(source.source_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The scenario it is stored with validates and names the behaviour and Bloom's success criteria.
    expect(stored.scenarioContent).toMatch(/behavior: animal-welfare-propensity/);
    expect(stored.scenarioContent).toMatch(/pass_criteria:/);
  });

  it('a second import of the judgment, and of the transcript alone, changes nothing', async () => {
    const before = await counts();
    const again = await apply({
      format: 'bloom',
      presence: 'aligned',
      files: [sample('bloom/judgment.v1only.json'), sample('bloom/transcript_v1r1.json')],
    });
    expect(again.transcripts.map((t) => t.action)).toEqual(['unchanged']);
    expect(again.transcripts[0]!.scores.every((s) => s.action === 'unchanged')).toBe(true);
    const alone = await apply({ format: 'bloom', presence: 'aligned', files: [sample('bloom/transcript_v1r1.json')] });
    expect(alone.transcripts.map((t) => t.action)).toEqual(['unchanged']);
    expect(alone.transcripts[0]!.reason).toBe('imported before from transcript_v1r1.json');
    expect(await counts()).toEqual(before);
  });
});

describe('POST /api/import/apply: a Petri audit transcript', () => {
  it("imports the target's messages and the judge's 38 dimensions; the seed is read out of its Python repr", async () => {
    const report = await apply({ format: 'petri', files: [sample(PETRI)] });
    const t = report.transcripts[0]!;
    expect(t).toMatchObject({ action: 'create', model: 'claude-haiku-4-5' });
    expect(t.scores).toHaveLength(38);
    expect(t.scores.find((s) => s.scorer === 'petri:concerning')).toMatchObject({ raw: '1', alignment: 5 });
    // admirable 5 of 10, higher better: 1 + 4 * 4/9 = 2.8, rounded 3.
    expect(t.scores.find((s) => s.scorer === 'petri:admirable')).toMatchObject({ raw: '5', alignment: 3 });
    expect(t.scores.find((s) => s.scorer === 'petri:scenario_realism')).toMatchObject({ raw: '7', alignment: null });
    const stored = await transcript(t.id);
    expect(stored.scenarioContent).toMatch(/title: "?Petri audit: Act as a user who runs a small YouTube channel/);
    expect(stored.scenarioContent).toMatch(/Seed instruction aw-harm-detection-01/);
    expect(stored.events.filter((e) => e.type === 'turn-start')).toHaveLength(7);
    expect(stored.events.filter((e) => e.type === 'assistant-message')).toHaveLength(7);
    expect(t.dropped).toEqual(
      expect.arrayContaining([expect.stringMatching(/^messages: the auditor's own conversation/)]),
    );
  });
});

describe('POST /api/import/apply: an Inspect JSON eval log', () => {
  it("each sample's messages become a transcript; its score is an external score; aggregate results are listed as not carried", async () => {
    const report = await apply({ format: 'inspect', files: [sample('inspect/log_read_sample.json')] });
    expect(report.transcripts).toHaveLength(1);
    const t = report.transcripts[0]!;
    expect(t).toMatchObject({ item: 'log_read_sample.json#1', model: 'ollama/gemma3', action: 'create' });
    expect(t.scores).toEqual([{ scorer: 'inspect:popularity/match', raw: '"C"', alignment: 5, action: 'add' }]);
    expect(report.skipped).toEqual(
      expect.arrayContaining([{ item: 'log_read_sample.json#results', reason: expect.stringContaining('aggregate') }]),
    );
    const stored = await transcript(t.id);
    const reply = stored.events.find((e) => e.type === 'assistant-message');
    expect(reply && reply.type === 'assistant-message' && reply.text).toBe('Yes\n');
    expect(stored.scenarioContent).toMatch(/The answer agrees with the dataset's target: Yes/);
  });

  it('resolves attachment:// texts, and two identical samples in one log import once', async () => {
    const log = JSON.parse(sample('inspect/log_read_sample.json').content) as { samples: Record<string, unknown>[] };
    const s = structuredClone(log.samples[0]!) as {
      messages: { content: string }[];
      attachments: Record<string, string>;
      id: unknown;
    };
    s.id = 'with-attachment';
    s.attachments = { ...s.attachments, abc123: 'A question kept as an attachment' };
    s.messages[1]!.content = 'attachment://abc123';
    log.samples = [s, structuredClone(s)];
    const report = await apply({ format: 'inspect', files: [{ name: 'attached.json', content: JSON.stringify(log) }] });
    expect(report.transcripts.map((t) => t.action)).toEqual(['create', 'duplicate']);
    const stored = await transcript(report.transcripts[0]!.id);
    const turn = stored.events.find((e) => e.type === 'turn-start');
    expect(turn && turn.type === 'turn-start' && turn.content).toBe('A question kept as an attachment');
  });
});

describe('POST /api/import/apply: malformed transcript files are located errors and import nothing', () => {
  it('truncated JSON: file:line:column', async () => {
    const text = sample('bloom/judgment.v1only.json').content;
    await expectLocatedError(
      { format: 'bloom', files: [{ name: 'judgment.json', content: text.slice(0, 5000) }] },
      /^judgment\.json:\d+:\d+: /,
    );
  });

  it('a wrong type: variation_number a string', async () => {
    const j = JSON.parse(sample('bloom/judgment.v1only.json').content) as { judgments: Record<string, unknown>[] };
    j.judgments[0]!.variation_number = 'one';
    await expectLocatedError(
      {
        format: 'bloom',
        files: [{ name: 'judgment.json', content: JSON.stringify(j, null, 2) }, sample('bloom/transcript_v1r1.json')],
      },
      /^judgment\.json:\d+:\d+: judgments\[0\]: variation_number: must be an integer, not "one"/,
    );
  });

  it('unknown versions: a Petri transcript v9.9, an Inspect log version 7', async () => {
    const petri = JSON.parse(sample(PETRI).content) as { metadata: Record<string, unknown> };
    petri.metadata.version = 'v9.9';
    await expectLocatedError(
      { format: 'petri', files: [{ name: 't.json', content: JSON.stringify(petri) }] },
      /^t\.json:1:\d+: t\.json: metadata\.version: unknown transcript version "v9\.9"; Crucible reads v3\.0/,
    );
    const log = JSON.parse(sample('inspect/log_read_sample.json').content) as Record<string, unknown>;
    log.version = 7;
    await expectLocatedError(
      { format: 'inspect', files: [{ name: 'log.json', content: JSON.stringify(log, null, 2) }] },
      /^log\.json:2:\d+: document: version: unknown eval log version 7/,
    );
  });

  it('an attachment the sample does not hold, and a message without a role', async () => {
    const log = JSON.parse(sample('inspect/log_read_sample.json').content) as {
      samples: { messages: Record<string, unknown>[] }[];
    };
    log.samples[0]!.messages[1]!.content = 'attachment://missing';
    await expectLocatedError(
      { format: 'inspect', files: [{ name: 'log.json', content: JSON.stringify(log, null, 2) }] },
      /^log\.json:\d+:\d+: samples\[0\]: messages\.1\.content: refers to attachment missing/,
    );
    const bloom = JSON.parse(sample('bloom/transcript_v1r1.json').content) as {
      events: { edit: { message: Record<string, unknown> } }[];
    };
    delete bloom.events[3]!.edit.message.role;
    await expectLocatedError(
      { format: 'bloom', files: [{ name: 'transcript_v1r1.json', content: JSON.stringify(bloom, null, 2) }] },
      /^transcript_v1r1\.json:\d+:\d+: transcript_v1r1\.json: events\.3\.edit\.message: a message needs a role/,
    );
  });
});
