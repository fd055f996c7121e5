import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY, principledModel } from '../dryrun/dryrun-fixtures.ts';
import { raterViaInvite } from '../studies/study-fixtures.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Annotators give their own verdict blind to the model. With prices configured (the models file
// below prices gpt-fake), tokens and cost give the model away (the price per token is the
// model's), and timing narrows it down: none of them may reach an annotator, whatever the UI shows.

/** Field names that carry tokens, cost or timing (`...Ms`: milliseconds, in this code base's naming). */
const revealing = (name: string) =>
  /token|cost|price|usd|latency|ttft|timing|duration|elapsed|usage|^at$|startedAt|finishedAt/i.test(name) ||
  /Ms$/.test(name);

let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) =>
      JSON.stringify(req.body).includes('expert evaluator of AI assistant behaviour')
        ? {
            text: JSON.stringify({ score: 3, pass_criteria_met: [], fail_criteria_met: [], rationale: 'middling' }),
          }
        : { ...principledModel(req), usage: { input: 1234, output: 567 } },
  });
  server = await startTestServer({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const post = (path: string, body: unknown, as: { fetch: TestServer['fetch'] } = server) =>
  as.fetch(path, { method: 'POST', body: JSON.stringify(body) });

/** Every field name in a JSON value, with its path. */
function fieldPaths(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => fieldPaths(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...fieldPaths(v, `${path}.${k}`)]);
}

describe("what an annotator's API returns", () => {
  it('holds no tokens, cost or timing of the model, yet the whole conversation and how it ended', async () => {
    const judge = (await (
      await post('/api/judges', {
        name: 'judge',
        reason: 'test',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;
    // Two different scenarios: identical conversations are sampled once.
    for (const scenarioId of ['sycophancy-pitch-deck-unit-economics', 'sycophancy-pitch-deck-second-copy']) {
      const events = await collectTranscript(
        await post('/api/dryruns', { content: validScenarioText(scenarioId), model: 'gpt-fake' }),
      );
      const done = events.find((e) => e.type === 'done') as Extract<TranscriptEvent, { type: 'done' }>;
      // The stored transcript has what must not leak: tokens, a cost from the configured prices, a latency.
      expect(done).toMatchObject({ status: 'completed', inputTokens: expect.any(Number) });
      expect(done.costUsd).toBeGreaterThan(0);
      const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
      expect((await post('/api/judges/judge', { transcriptId: id, judgeVersionId: judge.id })).status).toBe(200);
    }
    const created = await post('/api/annotation-studies', {
      name: 'blind',
      judgeVersionId: judge.id,
      ratersPerItem: 1,
      revealJudge: true,
      strata: { clearPass: 5, clearFail: 5, borderline: 5 },
    });
    expect(created.status).toBe(201);
    const { id: studyId } = (await created.json()) as { id: string };
    const annotator = await raterViaInvite(server, studyId, 'Ann');

    const bodies: { what: string; body: unknown }[] = [];
    const read = async (what: string, res: Response) => {
      expect(res.status, what).toBeLessThan(300);
      const body = (await res.json()) as unknown;
      bodies.push({ what, body });
      return body;
    };
    await read('GET study', await annotator.fetch(`/api/rate/annotation/${studyId}`));
    const tasks: { events: Record<string, unknown>[] }[] = [];
    for (;;) {
      const next = (await read('GET next', await annotator.fetch(`/api/rate/annotation/${studyId}/next`))) as {
        kind: string;
        leaseId: string;
        events: Record<string, unknown>[];
      };
      if (next.kind === 'done') break;
      tasks.push(next);
      const answer = (await read(
        'POST annotation',
        await post(
          `/api/rate/annotation/${studyId}/annotations`,
          { leaseId: next.leaseId, score: 4, reason: 'kept the numbers visible', confidence: 3 },
          annotator,
        ),
      )) as { annotationId: string; reveal: unknown };
      expect(answer.reveal).not.toBeNull();
      await read(
        'POST judge-holds',
        await post(
          `/api/rate/annotation/${studyId}/annotations/${answer.annotationId}/judge-holds`,
          { holds: 'yes' },
          annotator,
        ),
      );
    }
    expect(tasks).toHaveLength(2);

    for (const { what, body } of bodies) {
      expect(
        fieldPaths(body).filter((p) => revealing(p.split('.').pop()!)),
        what,
      ).toEqual([]);
      const text = JSON.stringify(body);
      expect(text, what).not.toContain('gpt-fake');
      expect(text, what).not.toContain('fake-model');
    }
    for (const task of tasks) {
      const types = task.events.map((e) => e.type);
      expect(types).not.toContain('start');
      expect(types).not.toContain('usage');
      expect(types).not.toContain('text-delta');
      // What the annotator judges is all there: the replies, the tool calls, and how the run ended.
      expect(types).toContain('assistant-message');
      expect(types).toContain('tool-call');
      expect(task.events.find((e) => e.type === 'done')).toEqual({ type: 'done', status: 'completed' });
    }
  });
});
