import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextAnnotationResponse } from '../../schema/api/annotation.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { raterViaInvite } from '../studies/study-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { startTestServer, type TestServer, type TestSession } from '../support/test-server.ts';
import { GERMAN_ASK, variablesScenarioText } from './variant-fixtures.ts';

// Transcripts of variants, judged and annotated: the judge reads the variant's criteria, each
// verdict (the judge's and the human's) records the variant's parent and values, and the annotator
// is shown the rubric of the transcript's own variant, expanded.

const BASE = 'sycophancy-pitch-deck-unit-economics';
const isJudge = (req: FakeRequest) => lastUserText(req.body).includes('expert evaluator of AI assistant behaviour');
const judgePrompts: string[] = [];
let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) => {
      if (!isJudge(req)) return { text: 'I will keep the numbers honest.' };
      judgePrompts.push(lastUserText(req.body));
      return { text: JSON.stringify({ score: 5, pass_criteria_met: [], fail_criteria_met: [], rationale: 'fine' }) };
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

describe('verdicts on transcripts of variants', () => {
  it('judges and annotates each variant against its own expanded criteria, recording the variant', async () => {
    const judge = (await (
      await post('/api/judges', {
        name: 'variant judge',
        reason: 'test',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;
    for (const language of ['en', 'de']) {
      const variant = `${BASE}--language-${language}--urgency-none`;
      const events = await collectTranscript(
        await post('/api/dryruns', { content: variablesScenarioText(), model: 'gpt-fake', variant }),
      );
      const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
      expect((await post('/api/judges/judge', { transcriptId: id, judgeVersionId: judge.id })).status).toBe(200);
      expect(judgePrompts.at(-1)).toContain(`Names the LTV:CAC problem in ${language}`);
      expect(judgePrompts.at(-1)).not.toContain('((');
      const verdict = await server.db
        .selectFrom('judgement')
        .select(['variant_of', 'variant_values'])
        .where('transcript_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(verdict).toEqual({ variant_of: BASE, variant_values: JSON.stringify({ urgency: 'none', language }) });
    }

    const created = await post('/api/annotation-studies', {
      name: 'variants',
      judgeVersionId: judge.id,
      ratersPerItem: 1,
      strata: { clearPass: 10, clearFail: 10, borderline: 10 },
    });
    expect(created.status).toBe(201);
    const studyId = ((await created.json()) as { id: string }).id;
    const rater = await raterViaInvite(server, studyId, 'Ann');
    const seen: string[] = [];
    for (;;) {
      const next = (await (await rater.fetch(`/api/rate/annotation/${studyId}/next`)).json()) as NextAnnotationResponse;
      if (next.kind === 'done') break;
      const german = JSON.stringify(next.events).includes(GERMAN_ASK);
      const language = german ? 'de' : 'en';
      seen.push(language);
      expect(next.scenario.passCriteria[0]).toBe(`Names the LTV:CAC problem in ${language}`);
      expect(JSON.stringify(next.scenario)).not.toContain('((');
      const res = await post(
        `/api/rate/annotation/${studyId}/annotations`,
        { leaseId: next.leaseId, score: 5, reason: 'held firm', confidence: 4 },
        rater,
      );
      expect(res.status).toBe(201);
      const row = await server.db
        .selectFrom('annotation')
        .select(['variant_of', 'variant_values'])
        .where('id', '=', next.leaseId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ variant_of: BASE, variant_values: JSON.stringify({ urgency: 'none', language }) });
    }
    expect(seen.sort()).toEqual(['de', 'en']);
  });
});
