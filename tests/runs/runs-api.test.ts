import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_MAX_ROWS, type OutputGrid } from '../../server/runs/output-grid.ts';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import type { Comparison, Leaderboard } from '../../server/runs/leaderboard.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { holdAfter, type FakeScript, type FakeServer } from '../fakes/fake-script.ts';
import { readSse } from '../support/sse.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';
import { resultOfJob } from '../jobs/job-fixtures.ts';
import { RUN_KEY, runUntilSettled, threeModels, threeModelsYaml } from './run-fixtures.ts';
import { idleRefuserScores, shippedCorpusSize } from '../support/shipped-corpus-size.ts';

const CORPUS = shippedCorpusSize();

let script: FakeScript = threeModels;
let fake: FakeServer;
let server: TestServer;
let judge: JudgeVersion;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: (req) => script(req) });
  server = await startTestServer({ shippedCorpus: true, models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  judge = (await (
    await server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'run judge',
        reason: 'test',
        settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    })
  ).json()) as JudgeVersion;
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const runToEnd = (body: { name: string; settings: Record<string, unknown> }): Promise<RunSummary> =>
  runUntilSettled(server, body, 60_000);
/** The run once it is no longer running or queued (a scaled budget: 255 items take long on a loaded machine). */
async function finished(id: string): Promise<RunSummary> {
  let run: RunSummary | undefined;
  await expect
    .poll(
      async () => {
        run = (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
        return run.status;
      },
      { timeout: budget(60_000), interval: 100 },
    )
    .not.toMatch(/^(running|queued)$/);
  return run!;
}
const targetCalls = () => fake.requests.filter((r) => r.body?.model !== 'judge').length;

describe('benchmark runs', () => {
  let runId: string;

  it('runs three models over the shipped corpus and ranks them as designed', { timeout: budget(90_000) }, async () => {
    const run = await runToEnd({
      name: 'three models',
      settings: { models: ['complier', 'refuser', 'middle'], filter: { scope: 'all' }, concurrency: 16 },
    });
    runId = run.id;
    expect(run.status).toBe('completed');
    expect(run.progress.failed).toBe(0);
    expect(run.progress.done).toBe(run.progress.total);
    // An item per variant of each scenario (issue 15), per model.
    expect(run.progress.total).toBe(CORPUS.variants * 3);
    expect(run.judgeVersionId).toBe(judge.id);
    const board = (await (await server.fetch(`/api/runs/${runId}/leaderboard`)).json()) as Leaderboard;
    expect(board.models.map((m) => m.model)).toEqual(['refuser', 'middle', 'complier']);
    const [refuser, middle, complier] = board.models;
    expect(refuser!.passRate).toBe(1);
    expect(complier!.passRate).toBe(0);
    expect(complier!.fail).toBe(CORPUS.variants);
    expect(middle!.mean).toBeGreaterThan(1);
    expect(middle!.mean).toBeLessThan(5);
    expect(refuser!.ci!.low).toBeLessThanOrEqual(refuser!.mean);
    expect(board.behaviours.length).toBe(37);
    expect(board.factors!.warnings.join(' ')).toMatch(/Only 3 models for/);
    expect(board.matrix.complier!['sycophancy']).toBe(1);
  });

  it('compares two models per behaviour with Bonferroni-corrected intervals', async () => {
    const cmp = (await (await server.fetch(`/api/runs/${runId}/compare?a=refuser&b=complier`)).json()) as Comparison;
    expect(cmp.level).toBeCloseTo(1 - 0.05 / 37, 12);
    expect(cmp.family).toEqual({
      kind: 'pair',
      size: 37,
      description: 'the 37 behaviours compared for refuser vs complier',
    });
    // Refuser minus complier: 5 - 1, less where a tool expectation caps an agent that calls no tool.
    const refuserDesign = idleRefuserScores().byBehaviour;
    for (const b of cmp.behaviours) expect(b.meanDifference, b.behavior).toBeCloseTo(refuserDesign[b.behavior]! - 1, 9);
    // Intervals only from five paired scenarios: privacy-protection has six, the others two or three.
    expect(cmp.minPairs).toBe(5);
    for (const b of cmp.behaviours) expect(b.ci === null, b.behavior).toBe(b.pairs < 5);
    expect(cmp.behaviours.find((b) => b.behavior === 'privacy-protection')!.ci).not.toBeNull();
    // Corrected over every comparison of the run: 37 behaviours x 3 model pairs.
    const all = (await (
      await server.fetch(`/api/runs/${runId}/compare?a=refuser&b=complier&family=all`)
    ).json()) as Comparison;
    expect(all.family).toEqual({
      kind: 'all',
      size: 111,
      description: "all 111 behaviour comparisons of the run's 3 model pairs",
    });
    expect(all.level).toBeCloseTo(1 - 0.05 / 111, 12);
  });

  it('re-runs for free from the cache', { timeout: budget(90_000) }, async () => {
    const before = targetCalls();
    const again = await runToEnd({
      name: 'again',
      settings: { models: ['complier', 'refuser', 'middle'], filter: { scope: 'all' } },
    });
    expect(again.progress.cached).toBe(CORPUS.variants * 3);
    expect(targetCalls()).toBe(before);
  });

  it('re-judges a run with a new judge version without calling the target models', async () => {
    const v2 = (await (
      await server.fetch('/api/judges', {
        method: 'POST',
        body: JSON.stringify({
          name: 'run judge',
          reason: 'stricter',
          settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT, passThreshold: 5 },
        }),
      })
    ).json()) as JudgeVersion;
    const before = targetCalls();
    // A background job: the request answers 202 at once with it; its result holds the counts.
    const res = await resultOfJob<{ scored: number; errors: number }>(
      server,
      server.fetch(`/api/runs/${runId}/rejudge`, { method: 'POST', body: JSON.stringify({ judgeVersionId: v2.id }) }),
    );
    expect(res).toMatchObject({ scored: CORPUS.variants * 3, errors: 0 });
    expect(targetCalls()).toBe(before);
    const board = (await (
      await server.fetch(`/api/runs/${runId}/leaderboard?judgeVersionId=${v2.id}`)
    ).json()) as Leaderboard;
    expect(board.judgeVersionId).toBe(v2.id);
  });

  it('completes with 5% injected 429s and 1% 500s, counting the retries', { timeout: budget(90_000) }, async () => {
    let n = 0;
    script = (req) => {
      n++;
      if (req.body?.model !== 'judge' && n % 20 === 0)
        return { status: 429, retryAfterSeconds: 0, errorMessage: 'slow down' };
      if (req.body?.model !== 'judge' && n % 100 === 1) return { status: 500, errorMessage: 'boom' };
      return threeModels(req);
    };
    const run = await runToEnd({
      name: 'faults',
      settings: {
        models: ['complier', 'refuser', 'middle'],
        filter: { scope: 'all' },
        useCache: false,
        maxAttempts: 6,
      },
    });
    script = threeModels;
    expect(run.status).toBe('completed');
    expect(run.progress.failed).toBe(0);
    expect(run.progress.retries).toBeGreaterThan(5);
  });

  it('exports JSON, CSV and a static leaderboard page with every name escaped', async () => {
    const json = (await (await server.fetch(`/api/runs/${runId}/export.json`)).json()) as { models: unknown[] };
    expect(json.models).toHaveLength(3);
    const csv = await (await server.fetch(`/api/runs/${runId}/export.csv`)).text();
    expect(csv.split('\r\n')[0]).toBe(
      'model,behavior,mean,ci_low,ci_high,pass_rate,pass,warn,fail,scenarios,scale,dimension,expectation_score,expectation_ci_low,expectation_ci_high,expectation_scenarios',
    );
    const page = await server.fetch(`/api/runs/${runId}/leaderboard.html`);
    expect(page.headers.get('content-disposition')).toBe('attachment; filename="leaderboard-three-models.html"');
    const html = await page.text();
    expect(html).toContain('<title>three models leaderboard</title>');
    // Names from the taxonomy, grouped under their categories; ids only in titles and the data.
    expect(html).toContain('<tr class="cat"><th colspan="4" scope="rowgroup">Honesty</th></tr>');
    expect(html).toContain('<th scope="row" title="sycophancy">Sycophancy resistance</th>');
    expect(html).toContain('<script type="application/json" id="leaderboard-data">');
  });
});

describe('GET /api/runs/:id/items', () => {
  it('lists transcripts by model, behaviour and score for the deep dive', async () => {
    const runs = (await (await server.fetch('/api/runs')).json()) as { runs: { id: string; name: string }[] };
    const id = runs.runs.find((r) => r.name === 'three models')!.id;
    const res = (await (
      await server.fetch(`/api/runs/${id}/items?model=complier&behavior=sycophancy&maxScore=2`)
    ).json()) as {
      items: { model: string; behavior: string; score: number; transcriptId: string; rationale: string }[];
    };
    expect(res.items.length).toBeGreaterThanOrEqual(2);
    expect(
      res.items.every(
        (i) => i.model === 'complier' && i.behavior === 'sycophancy' && i.score === 1 && i.rationale === 'read as 1',
      ),
    ).toBe(true);
    expect((await server.fetch(`/api/dryruns/${res.items[0]!.transcriptId}`)).status).toBe(200);
  });

  it('lays out one behaviour as scenario x model: each cell the score and the last answer', async () => {
    const runs = (await (await server.fetch('/api/runs')).json()) as { runs: { id: string; name: string }[] };
    const id = runs.runs.find((r) => r.name === 'three models')!.id;
    const grid = (await (await server.fetch(`/api/runs/${id}/grid?behavior=sycophancy`)).json()) as OutputGrid;
    expect(grid.models).toEqual(['complier', 'middle', 'refuser']);
    expect(grid.rows.length).toBeGreaterThanOrEqual(2);
    for (const row of grid.rows) {
      expect(row.behavior).toBe('sycophancy');
      expect(row.cells.complier).toMatchObject({ score: 1, excerpt: 'Sure, done exactly as you asked. [complied]' });
      expect(row.cells.refuser).toMatchObject({ score: 5 });
      expect(row.cells.refuser!.excerpt).toContain('[refused]');
    }
    const first = (await (await server.fetch(`/api/runs/${id}/grid`)).json()) as OutputGrid;
    expect(first.rows.length).toBe(GRID_MAX_ROWS);
    expect(first.truncated).toBe(true);
    expect((await server.fetch(`/api/runs/${id}/grid?judgeVersionId=nope`)).status).toBe(400);
  });

  it('searches the transcripts’ text: every word, any case, % and quotes literal', async () => {
    const runs = (await (await server.fetch('/api/runs')).json()) as { runs: { id: string; name: string }[] };
    const id = runs.runs.find((r) => r.name === 'three models')!.id;
    type Items = { items: { model: string; transcriptId: string }[] };
    const search = async (q: string, extra = '') =>
      ((await (await server.fetch(`/api/runs/${id}/items?q=${encodeURIComponent(q)}${extra}`)).json()) as Items).items;
    const all = ((await (await server.fetch(`/api/runs/${id}/items?limit=1000`)).json()) as Items).items;
    // The refuser's answers and the middle model's refusals end "[refused]"; the complier never refuses.
    const refused = await search('[REFUSED]');
    expect(new Set(refused.map((i) => i.model))).toEqual(new Set(['refuser', 'middle']));
    expect(refused.filter((i) => i.model === 'refuser')).toHaveLength(all.filter((i) => i.model === 'refuser').length);
    // Every word, not any: no transcript both refuses and complies.
    expect(await search('[refused] [complied]')).toEqual([]);
    expect(await search('[refu%]')).toEqual([]); // a wildcard would have found "[refused]"
    expect(await search('[refu_ed]')).toEqual([]);
    expect(await search('"[complied]"')).toEqual([]);
    expect((await search('[complied]', '&model=complier')).length).toBe(
      all.filter((i) => i.model === 'complier').length,
    );
  });
});

describe('GET /api/runs/:id/errors', () => {
  it("gives each failed item's error with the key blanked, stored and shown", { timeout: budget(90_000) }, async () => {
    script = (req) =>
      req.body?.model === 'refuser' ? { status: 401, errorMessage: `key ${RUN_KEY} was revoked` } : threeModels(req);
    const run = await runToEnd({
      name: 'echoed key',
      settings: { models: ['refuser'], filter: { scope: 'all', behavior: 'sycophancy' }, useCache: false },
    });
    script = threeModels;
    expect(run.status).toBe('failed');
    const res = await server.fetch(`/api/runs/${run.id}/errors`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { scenarioId: string; model: string; status: string; attempts: number; error: string }[];
    };
    expect(body.items).toHaveLength(run.progress.failed);
    for (const item of body.items) {
      expect(item).toMatchObject({ model: 'refuser', status: 'failed', attempts: 1 });
      expect(item.scenarioId).toMatch(/^sycophancy/);
      expect(item.error).toContain('the provider rejected the API key (401)');
      expect(item.error).toContain('[redacted] was revoked');
      expect(item.error).not.toContain(RUN_KEY);
    }
    const stored = await server.db.selectFrom('run_item').select('error').where('run_id', '=', run.id).execute();
    expect(stored.every((r) => r.error !== null && !r.error.includes(RUN_KEY))).toBe(true);
  });

  it('answers 404 for an unknown run and 403 to a rater', async () => {
    expect((await server.fetch(`/api/runs/00000000-0000-4000-8000-000000000000/errors`)).status).toBe(404);
    const rater = await server.signIn('rater');
    expect((await rater.fetch(`/api/runs/00000000-0000-4000-8000-000000000000/errors`)).status).toBe(403);
  });
});

describe('POST /api/runs/:id/retry-failed', () => {
  it('puts failed items back in the queue and finishes them', { timeout: budget(90_000) }, async () => {
    script = (req) => (req.body?.model === 'refuser' ? { status: 401, errorMessage: 'revoked key' } : threeModels(req));
    const run = await runToEnd({
      name: 'with failures',
      settings: { models: ['refuser'], filter: { scope: 'all', behavior: 'sycophancy' }, useCache: false },
    });
    expect(run.progress.failed).toBe(run.progress.total);
    script = threeModels;
    const res = (await (await server.fetch(`/api/runs/${run.id}/retry-failed`, { method: 'POST' })).json()) as {
      requeued: number;
    };
    expect(res.requeued).toBe(run.progress.total);
    await expect
      .poll(async () => ((await (await server.fetch(`/api/runs/${run.id}`)).json()) as RunSummary).status, {
        timeout: budget(30_000),
      })
      .toBe('completed');
    const again = (await (await server.fetch(`/api/runs/${run.id}`)).json()) as RunSummary;
    expect(again.progress).toMatchObject({ done: run.progress.total, failed: 0, running: 0 });
  });
});

describe('GET /api/runs/:id/events', () => {
  it('sends the latest count while the run waits, though it sends at most one update a second', async () => {
    // Verdicts are let through by the test: one, then two more within the second after it.
    const hold = holdAfter(0);
    script = async (req) => {
      if (req.body?.model === 'judge') await hold.pass();
      return threeModels(req);
    };
    try {
      const res = await server.fetch('/api/runs', {
        method: 'POST',
        body: JSON.stringify({
          name: 'held verdicts',
          settings: { models: ['refuser'], filter: { scope: 'all', category: 'honesty' }, useCache: false },
        }),
      });
      const { id, items } = (await res.json()) as { id: string; items: number };
      expect(items).toBeGreaterThan(3);
      const stream = await server.fetch(`/api/runs/${id}/events`, { signal: AbortSignal.timeout(budget(20_000)) });
      await expect.poll(() => hold.waiting, { timeout: budget(10_000) }).toBeGreaterThanOrEqual(3);
      hold.allow(1);
      const counts: number[] = [];
      for await (const { event, data } of readSse(stream)) {
        if (event !== 'progress') continue;
        const done = (JSON.parse(data) as { done: number }).done;
        counts.push(done);
        if (done === 1 && hold.arrived - hold.waiting === 1) hold.allow(2);
        if (done === 3) break;
      }
      expect(counts.at(-1)).toBe(3);
      expect(hold.waiting).toBeGreaterThan(0); // the run is still waiting: only an update could have said 3
      hold.release();
      expect((await finished(id)).status).toBe('completed');
    } finally {
      hold.release();
      script = threeModels;
    }
  });
});
