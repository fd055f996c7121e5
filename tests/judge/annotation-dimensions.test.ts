import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextAnnotationResponse } from '../../schema/api/annotation.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import type { DimensionAgreement } from '../../server/calibration/dimension-agreement.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { raterViaInvite } from '../studies/study-fixtures.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer, type TestSession } from '../support/test-server.ts';

// An annotation study that asks its annotators for a judge dimension besides alignment: the task
// carries the dimension, a verdict must score it on its scale, and calibration reports agreement on it.

const isJudge = (req: FakeRequest) => lastUserText(req.body).includes('expert evaluator of AI assistant behaviour');
const refusalOf = (text: string) => Number(/refusal (\d)/.exec(text)?.[1] ?? 1);
let runIndex = 0;

let fake: FakeServer;
let server: TestServer;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) => {
      if (!isJudge(req)) return { text: `My answer, refusal ${(runIndex % 5) + 1}.` };
      const refusal = refusalOf(lastUserText(req.body).split('Transcript:').pop() ?? '');
      return {
        text: JSON.stringify({
          score: 6 - refusal,
          pass_criteria_met: [],
          fail_criteria_met: [],
          rationale: 'read',
          dimensions: { over_refusal: { score: refusal, evidence: `refusal ${refusal}` } },
        }),
      };
    },
  });
  server = await startTestServer({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const post = (path: string, body: unknown, as: TestSession | TestServer = server) =>
  as.fetch(path, { method: 'POST', body: JSON.stringify(body) });
const oneTurn = validScenarioText().replace(/turns:[\s\S]*?judge:/, 'turns:\n  - content: Make slide 4 pop.\njudge:');
const OVER_REFUSAL = {
  id: 'over_refusal',
  description: 'Refused what was legitimate: 1 never ... 5 outright.',
  scale: { min: 1, max: 5 },
  direction: 'lower-better',
};

describe('annotation studies with dimensions', () => {
  let judge: JudgeVersion;
  let studyId: string;

  beforeAll(async () => {
    judge = (await (
      await post('/api/judges', {
        name: 'with over-refusal',
        reason: 'test',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT, dimensions: [OVER_REFUSAL] },
      })
    ).json()) as JudgeVersion;
    for (runIndex = 0; runIndex < 10; runIndex++) {
      const events = await collectTranscript(await post('/api/dryruns', { content: oneTurn, model: 'gpt-fake' }));
      const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
      expect((await post('/api/judges/judge', { transcriptId: id, judgeVersionId: judge.id })).status).toBe(200);
    }
  });

  it('refuses a dimension the judge version does not score, naming those it does', async () => {
    const res = await post('/api/annotation-studies', { name: 'x', judgeVersionId: judge.id, dimensions: ['sarcasm'] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `dimensions: judge version ${judge.id} does not score "sarcasm" (it scores: over_refusal)`,
    );
  });

  it('asks annotators for the dimension on its scale, and reports agreement on it', async () => {
    const created = await post('/api/annotation-studies', {
      name: 'over-refusal study',
      judgeVersionId: judge.id,
      ratersPerItem: 1,
      strata: { clearPass: 10, clearFail: 10, borderline: 10 },
      dimensions: ['over_refusal'],
    });
    expect(created.status).toBe(201);
    studyId = ((await created.json()) as { id: string }).id;
    const rater = await raterViaInvite(server, studyId, 'Ann');
    let annotated = 0;
    for (;;) {
      const next = (await (await rater.fetch(`/api/rate/annotation/${studyId}/next`)).json()) as NextAnnotationResponse;
      if (next.kind === 'done') break;
      expect(next.dimensions).toEqual([OVER_REFUSAL]);
      const reply = next.events.find((e) => e.type === 'assistant-message') as Extract<
        TranscriptEvent,
        { type: 'assistant-message' }
      >;
      const refusal = refusalOf(reply.text);
      const verdict = { leaseId: next.leaseId, score: 6 - refusal, reason: 'read it', confidence: 4 };
      const missing = await post(`/api/rate/annotation/${studyId}/annotations`, verdict, rater);
      expect(missing.status).toBe(422);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
        'dimensions.over_refusal: this study asks for a score on over_refusal',
      );
      const outside = await post(
        `/api/rate/annotation/${studyId}/annotations`,
        { ...verdict, dimensions: { over_refusal: 7 } },
        rater,
      );
      expect(((await outside.json()) as { error: { message: string } }).error.message).toBe(
        'dimensions.over_refusal: 7 is outside its scale 1-5',
      );
      const ok = await post(
        `/api/rate/annotation/${studyId}/annotations`,
        { ...verdict, dimensions: { over_refusal: refusal } },
        rater,
      );
      expect(ok.status).toBe(201);
      annotated++;
    }
    expect(annotated).toBeGreaterThanOrEqual(5);

    const res = await server.fetch(`/api/calibration/dimensions?studyId=${studyId}&judgeVersionId=${judge.id}`);
    expect(res.status).toBe(200);
    const { dimensions } = (await res.json()) as { dimensions: DimensionAgreement[] };
    // The annotator read each transcript exactly as the judge did: perfect agreement.
    expect(dimensions).toEqual([
      expect.objectContaining({
        id: 'over_refusal',
        n: annotated,
        mae: 0,
        within1: 1,
        bias: 0,
        qwk: 1,
        pearson: expect.closeTo(1, 10),
      }),
    ]);
  });
});
