import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnchorSubsetReport } from '../../schema/api/analysis.ts';
import type { QuickRunEstimates } from '../../schema/api/quick-runs.ts';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, runUntilSettled, threeModelsYaml } from '../runs/run-fixtures.ts';
import { itemFiles, itemScript } from './item-fixtures.ts';

// Issue 19 point 2: a quick run over an anchor subset, and its estimated full-benchmark scores.

let fake: FakeServer;
let server: TestServer;
let judge: JudgeVersion;
const MODELS = ['complier', 'refuser', 'middle'];

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: itemScript() });
  server = await startTestServer({ files: itemFiles(), models: threeModelsYaml(fake.url), env: { RUN_KEY } });
}, budget(30_000));
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const quickRun = (k: number) =>
  server.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({ name: 'quick', quick: { k }, settings: { models: MODELS, repeats: 2 } }),
  });

describe('quick runs (POST /api/runs with quick, GET /api/analysis/quick-runs/:id)', () => {
  it('refuses a quick run while no models ran the benchmark, saying why', async () => {
    judge = (await (
      await server.fetch('/api/judges', {
        method: 'POST',
        body: JSON.stringify({
          name: 'quick',
          reason: 'test',
          settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
        }),
      })
    ).json()) as JudgeVersion;
    const res = await quickRun(2);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'no anchor subset for judge quick v1: needs 3 models that ran every scenario and 2 scenarios (has 0 and 0)',
    );
    expect(await server.db.selectFrom('run').select('id').execute()).toEqual([]);
  });

  it(
    'runs only the anchors, records the subset, and estimates each model with its interval',
    { timeout: budget(120_000) },
    async () => {
      const full = await runUntilSettled(server, {
        name: 'full',
        settings: { models: MODELS, repeats: 2, filter: { scope: 'all' }, concurrency: 8 },
      });
      expect(full.status).toBe('completed');
      const report = (await (await server.fetch(`/api/analysis/subset?k=2`)).json()) as AnchorSubsetReport;

      const res = await quickRun(2);
      expect(res.status).toBe(201);
      const { id, items } = (await res.json()) as { id: string; items: number };
      expect(items).toBe(2 * 3 * 2);
      await expect
        .poll(async () => ((await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary).status, {
          timeout: budget(60_000),
          interval: 100,
        })
        .toBe('completed');
      const run = (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
      const quick = run.settings.quick!;
      // The run records what it ran and how it was chosen: the subset the analysis shows for k = 2.
      expect(quick).toMatchObject({
        k: 2,
        basisJudgeVersionId: judge.id,
        basisModels: ['complier', 'middle', 'refuser'],
        scenarios: 5,
        halfWidth: report.subset!.halfWidth,
        categoryHalfWidths: report.subset!.categoryHalfWidths,
      });
      expect(quick.anchors.map((a) => [a.scenarioId, a.weight])).toEqual(
        report.subset!.anchors.map((a) => [a.scenarioId, a.weight]),
      );
      expect(run.settings.scenarioIds).toEqual(quick.anchors.map((a) => a.scenarioId));
      const ran = await server.db
        .selectFrom('run_item')
        .select('scenario_id')
        .distinct()
        .where('run_id', '=', id)
        .execute();
      expect(ran.map((r) => r.scenario_id).sort()).toEqual(quick.anchors.map((a) => a.scenarioId).sort());

      const estimates = (await (await server.fetch(`/api/analysis/quick-runs/${id}`)).json()) as QuickRunEstimates;
      // Worked by hand from the quick run's own scores: each anchor's mean over repeats, weighted.
      const scored = (
        (await (await server.fetch(`/api/runs/${id}/items?limit=1000`)).json()) as {
          items: { model: string; scenarioId: string; score: number }[];
        }
      ).items;
      expect(estimates.models.map((m) => m.model)).toEqual(['complier', 'middle', 'refuser']);
      for (const m of estimates.models) {
        const anchorMean = (s: string) => {
          const xs = scored.filter((i) => i.model === m.model && i.scenarioId === s).map((i) => i.score);
          return xs.reduce((t, x) => t + x, 0) / xs.length;
        };
        const expected = quick.anchors.reduce((t, a) => t + a.weight * anchorMean(a.scenarioId), 0);
        expect(m.anchorsScored).toBe(quick.anchors.length);
        expect(m.overall!.estimate).toBeCloseTo(expected, 10);
        expect(m.overall!.high - m.overall!.estimate).toBeCloseTo(quick.halfWidth, 12);
        expect(m.categories).toHaveLength(1);
        expect(m.categories[0]).toMatchObject({ category: 'honesty' });
        expect(m.categories[0]!.estimate).toBeCloseTo(expected, 10);
        expect(m.categories[0]!.estimate - m.categories[0]!.low).toBeCloseTo(quick.categoryHalfWidths.honesty!, 12);
      }
    },
  );

  it('says a run that is not quick has no estimates', async () => {
    const runs = (await (await server.fetch('/api/runs')).json()) as { runs: RunSummary[] };
    const full = runs.runs.find((r) => r.name === 'full')!;
    const res = await server.fetch(`/api/analysis/quick-runs/${full.id}`);
    expect(res.status).toBe(409);
  });
});
