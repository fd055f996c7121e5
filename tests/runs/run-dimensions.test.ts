import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { DEFAULT_DIMENSIONS, DEFAULT_JUDGE_PROMPT, type Judgement, type JudgeVersion } from '../../schema/judge.ts';
import type { Comparison, Leaderboard } from '../../server/runs/leaderboard.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeReply, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, threeModels, threeModelsYaml } from './run-fixtures.ts';
import { budget } from '../support/budget.ts';
import { resultOfJob } from '../jobs/job-fixtures.ts';

// A judge version that scores three dimensions besides alignment: every verdict stores each with
// its scale, and the leaderboard, comparisons and exports switch between them. A version without
// dimensions (as every version made before them) keeps giving alignment only.

/** The judge reads the target's marker: a complier never over-refuses, a refuser always does. */
function judgeWithDimensions(req: FakeRequest): FakeReply {
  const prompt = lastUserText(req.body);
  if (req.body?.model !== 'judge' || !prompt.includes('"over_refusal": {"score", "evidence"}')) return threeModels(req);
  const transcript = prompt.split('Transcript:').pop() ?? '';
  const refused = transcript.includes('[refused]');
  const complied = transcript.includes('[complied]');
  const score = complied ? 1 : refused ? 5 : 3;
  return {
    text: JSON.stringify({
      score,
      pass_criteria_met: [],
      fail_criteria_met: [],
      rationale: `read as ${score}`,
      dimensions: {
        evaluation_awareness: { score: 1, evidence: 'no sign' },
        over_refusal: { score: refused ? 5 : 1, evidence: refused ? 'refused' : 'helped' },
        perceived_realism: { score: 4, evidence: 'plausible' },
      },
    }),
  };
}

let fake: FakeServer;
let server: TestServer;
let plain: JudgeVersion;
let dimensioned: JudgeVersion;
let runId: string;

const post = (path: string, body: unknown) => server.fetch(path, { method: 'POST', body: JSON.stringify(body) });
async function newJudge(name: string, dimensions?: unknown): Promise<JudgeVersion> {
  const res = await post('/api/judges', {
    name,
    reason: 'test',
    settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT, ...(dimensions ? { dimensions } : {}) },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JudgeVersion;
}
const get = async <T>(path: string) => {
  const res = await server.fetch(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: judgeWithDimensions });
  server = await startTestServer({ shippedCorpus: true, models: threeModelsYaml(fake.url), env: { RUN_KEY } });
  plain = await newJudge('alignment only');
  dimensioned = await newJudge('with dimensions', DEFAULT_DIMENSIONS);
  const res = await post('/api/runs', {
    name: 'dimensions',
    settings: {
      models: ['complier', 'refuser', 'middle'],
      filter: { scope: 'all', category: 'honesty' },
      judgeVersionId: dimensioned.id,
      concurrency: 8,
    },
  });
  expect(res.status).toBe(201);
  runId = ((await res.json()) as { id: string }).id;
  // Waits on the run's condition (expect.poll is only for tests).
  for (const deadline = Date.now() + budget(120_000); ;) {
    const { status } = await get<RunSummary>(`/api/runs/${runId}`);
    if (status === 'completed') break;
    if (status !== 'running' && status !== 'queued') throw new Error(`run ended ${status}`);
    if (Date.now() > deadline) throw new Error('run did not finish in its budget');
    await new Promise((r) => setTimeout(r, 100));
  }
}, budget(150_000));
afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('judge dimensions', () => {
  it('stores every dimension of a verdict with its scale and direction, alignment first', async () => {
    const items = await get<{ items: { transcriptId: string; model: string }[] }>(
      `/api/runs/${runId}/items?model=refuser&limit=1`,
    );
    const { judgements } = await get<{ judgements: Judgement[] }>(
      `/api/judges/judgements?transcriptId=${items.items[0]!.transcriptId}`,
    );
    const v = judgements.find((j) => j.judgeVersionId === dimensioned.id)!;
    expect(v.dimensions.map((d) => [d.id, d.primary, d.score, d.scale, d.direction])).toEqual([
      ['alignment', true, 5, { min: 1, max: 5 }, 'higher-better'],
      ['evaluation_awareness', false, 1, { min: 1, max: 5 }, 'lower-better'],
      ['over_refusal', false, 5, { min: 1, max: 5 }, 'lower-better'],
      ['perceived_realism', false, 4, { min: 1, max: 5 }, 'higher-better'],
    ]);
    expect(v.dimensions[2]!.evidence).toBe('refused');
  });

  it('ranks by any dimension: the leaderboard, comparisons and exports switch', async () => {
    const primary = await get<Leaderboard>(`/api/runs/${runId}/leaderboard`);
    expect(primary.dimension.id).toBe('alignment');
    expect(primary.dimensions.map((d) => d.id)).toEqual([
      'alignment',
      'evaluation_awareness',
      'over_refusal',
      'perceived_realism',
    ]);
    expect(primary.models[0]!.model).toBe('refuser');

    const overRefusal = await get<Leaderboard>(`/api/runs/${runId}/leaderboard?dimension=over_refusal`);
    expect(overRefusal.scale).toBe('over_refusal-1-5-lower-better');
    // Lower is better here: the model that never refuses ranks first.
    expect(overRefusal.models.map((m) => [m.model, m.mean, m.passRate])).toEqual([
      ['complier', 1, null],
      ['middle', expect.any(Number), null],
      ['refuser', 5, null],
    ]);
    expect(overRefusal.matrix.refuser!['sycophancy']).toBe(5);

    const cmp = await get<Comparison>(`/api/runs/${runId}/compare?a=refuser&b=complier&dimension=over_refusal`);
    expect(cmp.behaviours.every((b) => b.meanDifference === 4)).toBe(true);

    const csv = await (await server.fetch(`/api/runs/${runId}/export.csv?dimension=over_refusal`)).text();
    const [header, complierRow] = csv.split('\r\n');
    expect(header).toBe(
      'model,behavior,mean,ci_low,ci_high,pass_rate,pass,warn,fail,scenarios,scale,dimension,expectation_score,expectation_ci_low,expectation_ci_high,expectation_scenarios',
    );
    // Scenarios: as many as the complier's items in this run (the honesty category of the shipped corpus).
    const complierItems = await get<{ items: unknown[] }>(`/api/runs/${runId}/items?model=complier&limit=1000`);
    // (then the tool-expectation columns, whatever the dimension: some honesty scenarios state expectations)
    expect(complierRow!.split(',').slice(0, 12).join(',')).toBe(
      `complier,(all),1,1,1,,0,0,0,${complierItems.items.length},over_refusal-1-5-lower-better,over_refusal`,
    );
    expect(complierRow!.split(',')).toHaveLength(16);
    const json = await get<Leaderboard>(`/api/runs/${runId}/export.json?dimension=perceived_realism`);
    expect(json.dimension.id).toBe('perceived_realism');
    expect(json.models.every((m) => m.mean === 4)).toBe(true);
    const html = await (await server.fetch(`/api/runs/${runId}/leaderboard.html?dimension=over_refusal`)).text();
    expect(html).toContain('Dimension over_refusal: Whether the assistant refused');
    expect(html).toContain('lower is better; no pass threshold');
  });

  it('says which dimensions exist when asked for one the judge does not score', async () => {
    const res = await server.fetch(`/api/runs/${runId}/leaderboard?dimension=sarcasm`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `judge version ${dimensioned.id} has no dimension "sarcasm" (it scores: alignment, evaluation_awareness, over_refusal, perceived_realism)`,
    );
  });

  it('keeps a version without dimensions (as every older one) to alignment only', async () => {
    await resultOfJob(server, post(`/api/runs/${runId}/rejudge`, { judgeVersionId: plain.id }));
    const board = await get<Leaderboard>(`/api/runs/${runId}/leaderboard?judgeVersionId=${plain.id}`);
    expect(board.dimensions.map((d) => d.id)).toEqual(['alignment']);
    const res = await server.fetch(`/api/runs/${runId}/leaderboard?judgeVersionId=${plain.id}&dimension=over_refusal`);
    expect(res.status).toBe(422);
    const items = await get<{ items: { transcriptId: string }[] }>(`/api/runs/${runId}/items?limit=1`);
    const { judgements } = await get<{ judgements: Judgement[] }>(
      `/api/judges/judgements?transcriptId=${items.items[0]!.transcriptId}`,
    );
    expect(judgements.find((j) => j.judgeVersionId === plain.id)!.dimensions.map((d) => d.id)).toEqual(['alignment']);
    // The prompt of a version without dimensions asks for none.
    const plainPrompts = fake.requests.filter(
      (r) => r.body?.model === 'judge' && !lastUserText(r.body).includes('over_refusal'),
    );
    expect(plainPrompts.length).toBeGreaterThan(0);
  });
});
