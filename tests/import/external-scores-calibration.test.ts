import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NextAnnotationResponse, SamplingPool } from '../../schema/api/annotation.ts';
import type { ImportReport } from '../../schema/api/import.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { ExternalScorerAgreement } from '../../server/calibration/external-agreement.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { KEYS_ENV, modelsYaml, OPENAI_KEY } from '../dryrun/dryrun-fixtures.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeServer } from '../fakes/fake-script.ts';
import { raterViaInvite } from '../studies/study-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { sample } from './import-support.ts';

// Imported transcripts in calibration: an Inspect eval log's samples (their scorer's verdicts kept
// as external scores) are sampled into an annotation study by the external scorer's bands, judged
// by a Crucible judge like any transcript, annotated, and the external scorer is reported as one
// more judge: against the annotators, against the Crucible judge, beside that judge.

// The answers' qualities; the log's own scorer says C (correct) for 4 and 5, I otherwise.
const QUALITIES = [1, 2, 5, 4, 1, 5, 2, 4];
const quality = (text: string) => Number(/quality (\d)/.exec(text)?.[1] ?? 3);

let fake: FakeServer;
let server: TestServer;
beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: OPENAI_KEY,
    script: (req) => {
      const score = quality(lastUserText(req.body).split('Transcript:').pop() ?? '');
      return { text: JSON.stringify({ score, pass_criteria_met: [], fail_criteria_met: [], rationale: `q${score}` }) };
    },
  });
  server = await startTestServer({ models: modelsYaml({ openaiUrl: fake.url }), env: KEYS_ENV });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const post = (path: string, body: unknown) => server.fetch(path, { method: 'POST', body: JSON.stringify(body) });

/** The real log with its one sample made into eight different conversations, each scored by the log's scorer. */
function quizLog(): string {
  const log = JSON.parse(sample('inspect/log_read_sample.json').content) as {
    eval: Record<string, unknown>;
    samples: Record<string, unknown>[];
  };
  log.eval.task = 'quiz';
  const base = log.samples[0]!;
  log.samples = QUALITIES.map((q, i) => ({
    ...structuredClone(base),
    id: `q${i + 1}`,
    uuid: `uuid-${i + 1}`,
    messages: [
      { id: `s${i}`, role: 'system', content: 'Answer the question.' },
      { id: `u${i}`, role: 'user', content: `Question number ${i + 1}: is the statement something you would say?` },
      { id: `a${i}`, role: 'assistant', content: `Answer ${i + 1}, quality ${q}.` },
    ],
    scores: { match: { value: q >= 4 ? 'C' : 'I', answer: 'Yes', explanation: 'matched' } },
  }));
  return JSON.stringify(log, null, 2);
}

describe('imported transcripts in calibration', () => {
  let judge: JudgeVersion;
  let studyId: string;
  const ids: string[] = [];

  it('an annotation study samples imported transcripts by their external scorer, and a Crucible judge judges them', async () => {
    const report = (await (
      await post('/api/import/apply', { format: 'inspect', files: [{ name: 'quiz.json', content: quizLog() }] })
    ).json()) as ImportReport;
    expect(report.transcripts.map((t) => t.action)).toEqual(QUALITIES.map(() => 'create'));
    ids.push(...report.transcripts.map((t) => t.id));
    judge = (await (
      await post('/api/judges', {
        name: 'primary',
        reason: 'test',
        settings: { model: 'gpt-fake', promptTemplate: DEFAULT_JUDGE_PROMPT },
      })
    ).json()) as JudgeVersion;

    const scorers = await server.fetch('/api/calibration/external/scorers');
    expect(await scorers.json()).toEqual({ scorers: [{ scorer: 'inspect:quiz/match', transcripts: 8 }] });
    const pool = (await (
      await server.fetch(
        `/api/annotation-studies/pool?${new URLSearchParams({ judgeVersionId: judge.id, externalScorer: 'inspect:quiz/match' })}`,
      )
    ).json()) as SamplingPool;
    expect(pool).toEqual({ clearPass: 4, clearFail: 4, borderline: 0, duplicates: 0 });
    // Without the external scorer, the judge has judged nothing yet: nothing to sample.
    expect((await post('/api/annotation-studies', { name: 'none', judgeVersionId: judge.id })).status).toBe(422);

    const res = await post('/api/annotation-studies', {
      name: 'Inspect scorer vs raters',
      judgeVersionId: judge.id,
      externalScorer: 'inspect:quiz/match',
      ratersPerItem: 1,
      revealJudge: false,
    });
    expect(res.status).toBe(201);
    const study = (await res.json()) as { id: string; items: number; byStratum: Record<string, number> };
    expect(study.byStratum).toEqual({ 'clear-pass': 4, 'clear-fail': 4, borderline: 0 });
    studyId = study.id;
    const row = await server.db
      .selectFrom('annotation_study')
      .select('external_scorer')
      .where('id', '=', studyId)
      .executeTakeFirstOrThrow();
    expect(row.external_scorer).toBe('inspect:quiz/match');

    for (const [i, id] of ids.entries()) {
      const verdict = await post('/api/judges/judge', { transcriptId: id, judgeVersionId: judge.id });
      expect(verdict.status).toBe(200);
      expect(((await verdict.json()) as { score: number }).score).toBe(QUALITIES[i]);
    }
  });

  it("reports the external scorer as one more judge: against the annotators, against Crucible's judge, and that judge beside it", async () => {
    const rater = await raterViaInvite(server, studyId, 'Ann');
    for (;;) {
      const next = (await (await rater.fetch(`/api/rate/annotation/${studyId}/next`)).json()) as NextAnnotationResponse;
      if (next.kind === 'done') break;
      const reply = next.events.find((e) => e.type === 'assistant-message');
      const score = quality(reply && reply.type === 'assistant-message' ? reply.text : '');
      const res = await rater.fetch(`/api/rate/annotation/${studyId}/annotations`, {
        method: 'POST',
        body: JSON.stringify({
          leaseId: next.leaseId,
          score,
          passMet: [],
          failMet: [],
          reason: 'read it',
          confidence: 4,
        }),
      });
      expect(res.status).toBe(201);
    }
    const res = await server.fetch(`/api/calibration/external?studyId=${studyId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { scorers: ExternalScorerAgreement[]; externalPassThreshold: number };
    expect(body.externalPassThreshold).toBe(4);
    expect(body.scorers.map((s) => s.scorer)).toEqual(['inspect:quiz/match']);
    const [scorer] = body.scorers;
    expect(scorer).toMatchObject({ transcripts: 8, direction: 'higher-better', scale: { min: 0, max: 1 } });
    // External (C -> 5, I -> 1) against the humans' 1,2,5,4,1,5,2,4: |errors| 0,1,0,1,0,0,1,1.
    expect(scorer!.vsHumans.metrics).toMatchObject({
      n: 8,
      mae: 0.5,
      bias: 0,
      within1: 1,
      passAgreement: 1,
      passKappa: 1,
      passCriteriaF1: null,
    });
    // The Crucible judge scored exactly the qualities: against it, the external scorer errs as against the humans,
    expect(scorer!.vsJudge).toMatchObject({
      transcripts: 8,
      metrics: { metrics: { n: 8, mae: 0.5, passAgreement: 1 } },
    });
    // and the judge itself agrees with the humans on the same transcripts.
    expect(scorer!.judgeVsHumans).toMatchObject({ transcripts: 8, metrics: { metrics: { mae: 0, pearson: 1 } } });
    const raterView = await rater.fetch(`/api/calibration/external?studyId=${studyId}`);
    expect(raterView.status).toBe(403);
  });
});
