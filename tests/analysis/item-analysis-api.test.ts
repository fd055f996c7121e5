import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnchorSubsetReport, BenchmarkHealth, ItemAnalysis } from '../../schema/api/analysis.ts';
import type { NextAnnotationResponse } from '../../schema/api/annotation.ts';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRealismStudy, rateNext, raterViaInvite } from '../studies/study-fixtures.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { ITEMS, itemFiles, itemScript } from './item-fixtures.ts';

let fake: FakeServer;
let server: TestServer;
let judge: JudgeVersion;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: itemScript() });
  server = await startTestServer({
    files: itemFiles(),
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
  });
}, budget(30_000));
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const analysis = async (query = '') => {
  const res = await server.fetch(`/api/analysis/items${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ItemAnalysis;
};

describe('GET /api/analysis/items', () => {
  it('is empty, and says so, before any judge or run', async () => {
    const empty = await analysis();
    expect(empty.judge).toBeNull();
    expect(empty.items).toEqual([]);
    expect(empty.irt.fitted).toBe(false);
  });

  it('analyses a real run of three models x five scenarios x two repeats', { timeout: budget(90_000) }, async () => {
    judge = (await (
      await server.fetch('/api/judges', {
        method: 'POST',
        body: JSON.stringify({
          name: 'items',
          reason: 'test',
          settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
        }),
      })
    ).json()) as JudgeVersion;
    const created = await server.fetch('/api/runs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'item analysis',
        settings: { models: ['complier', 'refuser', 'middle'], repeats: 2, filter: { scope: 'all' }, concurrency: 8 },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await expect
      .poll(async () => ((await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary).status, {
        timeout: budget(60_000),
        interval: 100,
      })
      .toBe('completed');

    const result = await analysis(`?judge=${judge.id}`);
    expect(result.judge).toEqual({ id: judge.id, name: 'items', version: 1 });
    expect(result.models).toEqual(['complier', 'middle', 'refuser']);
    expect(result.runs).toBe(1);
    expect(result.transcripts).toBe(30);
    expect(result.staleTranscripts).toBe(0);
    expect(result.rules).toEqual({ passScore: 4, minItemRest: 0.2, minModels: 3, maxRepeatSd: 1 });
    const item = (id: string) => result.items.find((i) => i.scenarioId === id)!;
    expect(result.items.map((i) => i.scenarioId).sort()).toEqual([...ITEMS].sort());

    // Every model passes: flagged ceiling, and it cannot separate models.
    expect(item('ia-ceiling')).toMatchObject({ mean: 5, passRate: 1, modelsPassing: 3, transcripts: 6 });
    expect(item('ia-ceiling').flags).toEqual(['ceiling', 'no-separation']);
    expect(item('ia-floor')).toMatchObject({ mean: 1, passRate: 0, modelsPassing: 0 });
    expect(item('ia-floor').flags).toEqual(['floor', 'no-separation']);

    // Means per model: complier 5,1,1,1,3  refuser 5,1,5,5,3  middle 5,1,5,1,3 (ceiling, floor, a, b, noisy).
    // ia-split-a: [1,5,5] against rests [2.5,3.5,2.5] -> r = 0.5; ia-split-b: [1,5,1] against [2.5,3.5,3.5] -> 0.5.
    expect(item('ia-split-a').mean).toBeCloseTo(22 / 6, 10);
    expect(item('ia-split-a').passRate).toBeCloseTo(4 / 6, 10);
    expect(item('ia-split-a').itemRest).toBeCloseTo(0.5, 10);
    expect(item('ia-split-a').flags).toEqual([]);
    expect(item('ia-split-b').itemRest).toBeCloseTo(0.5, 10);
    expect(item('ia-split-b').modelsPassing).toBe(1);
    expect(item('ia-split-a').reliability).toBe(1);

    // Each model scored 1 in one repeat and 5 in the other: pooled SD sqrt(8), ICC (0 - 8) / (0 + 8) = -1.
    expect(item('ia-noisy').repeatSd).toBeCloseTo(Math.sqrt(8), 10);
    expect(item('ia-noisy').reliability).toBeCloseTo(-1, 10);
    expect(item('ia-noisy').flags).toEqual(['no-separation', 'noisy']);

    // The 2PL is fitted over the three models; the refuser is the ablest, the complier the least able.
    expect(result.irt.fitted).toBe(true);
    const theta = Object.fromEntries(result.irt.abilities.map((a) => [a.model, a.theta]));
    expect(theta.refuser).toBeGreaterThan(theta.middle!);
    expect(theta.middle).toBeGreaterThan(theta.complier!);
    expect(item('ia-ceiling').irt!.bounded).toBe(true);
    expect(item('ia-split-b').irt!.difficulty).toBeGreaterThan(item('ia-split-a').irt!.difficulty);
  });

  it('reports benchmark health per behaviour: coverage, ceiling and floor, separation, where to write next', async () => {
    const res = await server.fetch(`/api/analysis/health?judge=${judge.id}`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as BenchmarkHealth;
    expect(health.minScenariosPerBehaviour).toBe(3);
    expect(health.behaviours).toHaveLength(37);
    const sycophancy = health.behaviours.find((b) => b.behavior === 'sycophancy')!;
    expect(sycophancy).toMatchObject({ category: 'honesty', scenarios: 5, validated: 0, analysed: 5 });
    expect(sycophancy).toMatchObject({ ceiling: 1, floor: 1, separating: 2 });
    expect(sycophancy.meanScore).toBeCloseTo((5 + 1 + 22 / 6 + 14 / 6 + 3) / 5, 10);
    expect(sycophancy.writeNext).toEqual({ priority: 4, reason: 'no validated scenario: run a realism study' });
    // The other 36 behaviours have no scenario at all: they come first, each saying so.
    expect(health.behaviours.slice(0, 36).every((b) => b.writeNext?.reason === 'no scenarios')).toBe(true);
    expect(health.behaviours.at(-1)!.behavior).toBe('sycophancy');
  });

  it('chooses a scenario subset that estimates each model, validated leave-one-model-out', async () => {
    const subset = async (k: number) => {
      const res = await server.fetch(`/api/analysis/subset?judge=${judge.id}&k=${k}`);
      expect(res.status).toBe(200);
      return (await res.json()) as AnchorSubsetReport;
    };
    // Every scenario an anchor: each estimate is the model's full mean.
    const all = await subset(5);
    expect(all.models).toEqual(['complier', 'middle', 'refuser']);
    expect(all.subset!.anchors.map((a) => a.scenarioId).sort()).toEqual([...ITEMS].sort());
    expect(all.subset!.anchors.every((a) => a.weight === 0.2 && a.category === 'honesty')).toBe(true);
    for (const e of all.subset!.estimates) expect(e.estimate).toBeCloseTo(e.full, 10);
    // Held out, a model is estimated from anchors chosen on the other two, to whom two scenarios look the same
    // (without the complier, ia-ceiling and ia-split-a are both 5, 5): one stands for both, weight 2/5, and the
    // held-out model, who differs on them, is off by 0.8 (complier 3.0 for 2.2, middle 3.8 for 3, refuser 3.0 for 3.8).
    expect(all.validation!.meanAbsoluteError).toBeCloseTo(0.8, 10);
    // Two anchors stand for all five; each held-out model is estimated from anchors chosen on the other two.
    const two = await subset(2);
    expect(two.subset!.anchors).toHaveLength(2);
    expect(two.subset!.anchors.reduce((s, a) => s + a.weight, 0)).toBeCloseTo(1, 12);
    expect(two.validation!.models.map((m) => m.model)).toEqual(['complier', 'middle', 'refuser']);
    // Full means: complier (5+1+1+1+3)/5 = 2.2, middle 3, refuser 3.8.
    expect(two.validation!.models.map((m) => m.full)).toEqual([2.2, 3, 3.8].map((x) => expect.closeTo(x, 10)));
    const missing = await server.fetch(`/api/analysis/subset?judge=${judge.id}`);
    expect(missing.status).toBe(400);
  });

  it(
    'adds realism from realism studies and judge-human agreement from annotations',
    { timeout: budget(60_000) },
    async () => {
      // Two raters rate ia-ceiling's realism 4 and 5.
      const study = await createRealismStudy(server, { filter: { q: 'ia-ceiling' }, ratersPerItem: 2 });
      for (const [i, realism] of [4, 5].entries()) {
        const rater = await raterViaInvite(server, study, `Realism ${i}`);
        expect(await rateNext(server, rater, study, realism)).toBe('ia-ceiling');
      }
      // One annotator gives every judged transcript a 3: against the judge's 5s (ia-ceiling) the error is 2 and
      // pass/fail never agrees; against its 1s (ia-floor) the error is 2 and it always agrees.
      const created = await server.fetch('/api/annotation-studies', {
        method: 'POST',
        body: JSON.stringify({
          name: 'agreement',
          judgeVersionId: judge.id,
          ratersPerItem: 1,
          revealJudge: false,
          strata: { clearPass: 100, clearFail: 100, borderline: 100 },
        }),
      });
      expect(created.status).toBe(201);
      const annotationStudy = ((await created.json()) as { id: string; items: number }).id;
      const annotator = await raterViaInvite(server, annotationStudy, 'Annotator');
      let annotated = 0;
      for (;;) {
        const next = (await (
          await annotator.fetch(`/api/rate/annotation/${annotationStudy}/next`)
        ).json()) as NextAnnotationResponse;
        if (next.kind === 'done') break;
        const res = await annotator.fetch(`/api/rate/annotation/${annotationStudy}/annotations`, {
          method: 'POST',
          body: JSON.stringify({
            leaseId: next.leaseId,
            score: 3,
            passMet: [],
            failMet: [],
            reason: 'middling',
            confidence: 3,
          }),
        });
        expect(res.status).toBe(201);
        annotated++;
      }
      // The sample keeps one transcript per distinct conversation: 1 + 1 + 2 + 2 + 2 (see annotation/sampling.ts).
      expect(annotated).toBe(8);

      const result = await analysis(`?judge=${judge.id}`);
      const item = (id: string) => result.items.find((i) => i.scenarioId === id)!;
      expect(item('ia-ceiling').realism).toEqual({ mean: 4.5, ratings: 2 });
      expect(item('ia-floor').realism).toBeNull();
      expect(item('ia-ceiling').agreement).toEqual({ transcripts: 1, mae: 2, passAgreement: 0 });
      expect(item('ia-floor').agreement).toEqual({ transcripts: 1, mae: 2, passAgreement: 1 });
      // ia-split-a: one complying conversation (judged 1), one refusing (judged 5): agreement on the fail only.
      expect(item('ia-split-a').agreement).toEqual({ transcripts: 2, mae: 2, passAgreement: 0.5 });
    },
  );

  it('answers 404 for an unknown judge version and 400 for a malformed one', async () => {
    const unknown = await server.fetch('/api/analysis/items?judge=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const bad = await server.fetch('/api/analysis/items?judge=nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /judge.*not a judge version id/,
    );
  });
});
