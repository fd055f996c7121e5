import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runUntilSettled } from './run-fixtures.ts';

// Issue 20 point 5: a run's totals counted the target models only; what the judge took (often the
// larger bill: it reads whole transcripts) was nowhere. Each call here reports fixed usage, so the
// totals are known exactly.
const KEY = 'sk-judge-usage-0123456789';
const oneTurn = (id: string) =>
  validScenarioText(id)
    .replace(/^tools:[\s\S]*?^turns:/m, 'turns:')
    .replace(/^turns:[\s\S]*?^judge:/m, 'turns:\n  - content: Make slide 4 pop.\njudge:')
    .replace(/^ {2}red_flags:[\s\S]*?^ {2}anchors:/m, '  anchors:');

let fake: FakeServer;
let server: TestServer;
let judgeCalls = 0;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: KEY,
    script: (req) => {
      if (req.body?.model !== 'judge') return { text: 'The retention line stays.', usage: { input: 100, output: 10 } };
      // The judge's first reply is not a verdict: it is asked again, and both calls count.
      if (judgeCalls++ === 0) return { text: 'I would rather not say.', usage: { input: 1000, output: 50 } };
      return {
        text: JSON.stringify({ score: 4, pass_criteria_met: [], fail_criteria_met: [], rationale: 'ok' }),
        usage: { input: 1000, output: 50 },
      };
    },
  });
  server = await startTestServer({
    files: { 'honesty/usage-a.yaml': oneTurn('usage-a'), 'honesty/usage-b.yaml': oneTurn('usage-b') },
    models: `providers:
  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: KEY}
models:
  - {id: target, provider: fake, model: target, cost: {input_per_mtok: 1, output_per_mtok: 2}}
  - {id: judge, provider: fake, model: judge, cost: {input_per_mtok: 10, output_per_mtok: 20}}
`,
    env: { KEY },
  });
  const judge = await server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'j',
      reason: 'test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT, maxAttempts: 3 },
    }),
  });
  expect(judge.status).toBe(201);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe("a run's tokens and cost", () => {
  it('counts the judge beside the targets, per model and in total, in the summary and every export', async () => {
    const run = await runUntilSettled(server, {
      name: 'usage',
      settings: { models: ['target'], filter: { scope: 'all' }, useCache: false },
    });
    expect(run.status).toBe('completed');
    // 2 items: 2 target calls; 3 judge calls (one malformed, asked again).
    expect(judgeCalls).toBe(3);
    const p = run.progress;
    expect(p.tokens).toEqual({ target: { input: 200, output: 20, costUsd: expect.closeTo(240e-6, 12) } });
    expect(p.judgeTokens).toEqual({ judge: { input: 3000, output: 150, costUsd: expect.closeTo(0.033, 12) } });
    expect(p.totalTokens).toEqual({ input: 3200, output: 170, costUsd: expect.closeTo(0.03324, 12) });

    const json = (await (await server.fetch(`/api/runs/${run.id}/export.json`)).json()) as { usage: unknown };
    expect(json.usage).toEqual({ targets: p.tokens, judge: p.judgeTokens, total: p.totalTokens });

    const csv = await server.fetch(`/api/runs/${run.id}/usage.csv`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')).toEqual([
      'role,model,input_tokens,output_tokens,cost_usd',
      `target,target,200,20,${p.tokens.target!.costUsd}`,
      `judge,judge,3000,150,${p.judgeTokens.judge!.costUsd}`,
      `total,(all),3200,170,${p.totalTokens.costUsd}`,
      '',
    ]);

    const html = await (await server.fetch(`/api/runs/${run.id}/leaderboard.html`)).text();
    expect(html).toContain('<h2>Tokens and cost</h2>');
    expect(html).toMatch(
      /<td>judge<\/td><td>judge<\/td><td class="num">3,000<\/td><td class="num">150<\/td><td class="num">\$0\.0330<\/td>/,
    );
  });

  it('answers 404 for the usage of a run that does not exist', async () => {
    const res = await server.fetch('/api/runs/00000000-0000-4000-8000-000000000000/usage.csv');
    expect(res.status).toBe(404);
  });
});
