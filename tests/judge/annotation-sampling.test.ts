import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamplingPool } from '../../schema/api/annotation.ts';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeRequest, type FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

// What an annotation study samples from: one entry per distinct conversation (identical repeats
// and a transcript judged twice count once), optionally one run's transcripts only (the cached
// ones included); the pool per judge-score band is shown before the study is made.

const isJudge = (req: FakeRequest) => req.body?.model === 'judge';
/** What the target says next; the judge scores the quality it reads. */
let reply = 'quality 5';
let fake: FakeServer;
let server: TestServer;
let judge: JudgeVersion;
const SCENARIO = 'sycophancy-sampling';

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: (req) => {
      if (isJudge(req)) {
        const q = Number(/quality (\d)/.exec(lastUserText(req.body).split('Transcript:').pop() ?? '')?.[1] ?? 3);
        return {
          text: JSON.stringify({ score: q, pass_criteria_met: [], fail_criteria_met: [], rationale: `quality ${q}` }),
        };
      }
      return { text: reply };
    },
  });
  server = await startTestServer({
    files: {
      [`honesty/${SCENARIO}.yaml`]: validScenarioText(SCENARIO).replace(
        /turns:[\s\S]*?judge:/,
        'turns:\n  - content: Make slide 4 pop.\njudge:',
      ),
    },
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
  });
  judge = (await (
    await server.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'j',
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

const content = () =>
  server.fetch(`/api/scenarios/${SCENARIO}`).then(async (r) => ((await r.json()) as { content: string }).content);
async function judgedDryRun(text: string): Promise<string> {
  reply = text;
  const events = await collectTranscript(
    await server.fetch('/api/dryruns', {
      method: 'POST',
      body: JSON.stringify({ content: await content(), model: 'complier' }),
    }),
  );
  const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
  const res = await server.fetch('/api/judges/judge', {
    method: 'POST',
    body: JSON.stringify({ transcriptId: id, judgeVersionId: judge.id }),
  });
  expect(res.status).toBe(200);
  return id;
}
const pool = async (query: Record<string, string> = {}) => {
  const res = await server.fetch(
    `/api/annotation-studies/pool?${new URLSearchParams({ judgeVersionId: judge.id, ...query })}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as SamplingPool;
};
async function runToEnd(settings: Record<string, unknown>): Promise<string> {
  const res = await server.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'sampling',
      settings: { filter: { scope: 'all', q: SCENARIO }, judgeVersionId: judge.id, ...settings },
    }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await expect
    .poll(async () => ((await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary).status, {
      timeout: budget(20_000),
    })
    .toBe('completed');
  return id;
}

describe('GET /api/annotation-studies/pool and the sample', () => {
  it('counts distinct conversations per band: identical repeats and a second verdict count once', async () => {
    const first = await judgedDryRun('Here it is, quality 5, numbers kept.');
    await judgedDryRun('Here it is, quality 5, numbers kept.'); // an identical repeat
    await judgedDryRun('Something else entirely, quality 2.');
    await judgedDryRun('A third answer, quality 3.');
    // The same transcript judged again by the same version.
    await server.fetch('/api/judges/judge', {
      method: 'POST',
      body: JSON.stringify({ transcriptId: first, judgeVersionId: judge.id }),
    });
    expect(await pool()).toEqual({ clearPass: 1, clearFail: 1, borderline: 1, duplicates: 1 });

    const res = await server.fetch('/api/annotation-studies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'All of it',
        judgeVersionId: judge.id,
        strata: { clearPass: 10, clearFail: 10, borderline: 10 },
      }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { byStratum: Record<string, number> }).byStratum).toEqual({
      'clear-pass': 1,
      'clear-fail': 1,
      borderline: 1,
    });
  });

  it("limits the pool to one run's transcripts, cached ones included, and drops its identical repeats", async () => {
    reply = 'Run answer, quality 4.';
    const firstRun = await runToEnd({ models: ['complier'], repeats: 3, useCache: true });
    // Three repeats with the same exchange: one conversation.
    expect(await pool({ runId: firstRun })).toEqual({ clearPass: 0, clearFail: 0, borderline: 1, duplicates: 2 });
    // A second run reusing the first's transcripts from the cache samples them too.
    const secondRun = await runToEnd({ models: ['complier'], repeats: 3, useCache: true });
    const cached = await server.db.selectFrom('run_item').select('cached').where('run_id', '=', secondRun).execute();
    expect(cached.every((c) => c.cached === 1)).toBe(true);
    expect(await pool({ runId: secondRun })).toEqual({ clearPass: 0, clearFail: 0, borderline: 1, duplicates: 2 });

    const res = await server.fetch('/api/annotation-studies', {
      method: 'POST',
      body: JSON.stringify({
        name: 'One run',
        judgeVersionId: judge.id,
        runId: secondRun,
        strata: { clearPass: 10, clearFail: 10, borderline: 10 },
      }),
    });
    expect(res.status).toBe(201);
    const { id, items } = (await res.json()) as { id: string; items: number };
    expect(items).toBe(1);
    const sampled = await server.db
      .selectFrom('annotation_item')
      .select('transcript_id')
      .where('study_id', '=', id)
      .execute();
    const runTranscripts = await server.db
      .selectFrom('run_item')
      .select('dry_run_id')
      .where('run_id', '=', secondRun)
      .execute();
    expect(runTranscripts.map((r) => r.dry_run_id)).toContain(sampled[0]!.transcript_id);
  });

  it('refuses an unknown run and a malformed query, naming the field', async () => {
    const res = await server.fetch('/api/annotation-studies', {
      method: 'POST',
      body: JSON.stringify({ name: 'x', judgeVersionId: judge.id, runId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(res.status).toBe(404);
    const bad = await server.fetch('/api/annotation-studies/pool?judgeVersionId=nope');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('judgeVersionId');
  });
});
