import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostEstimate } from '../../schema/api/cost-estimate.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { KEYS_ENV, modelsYaml } from './dryrun-fixtures.ts';

// Issue 15 point 6: the cost of a dry-run, estimated before it runs. The texts here have lengths
// chosen so every figure can be worked by hand (4 characters a token, 300-token replies, and each
// call resending the whole conversation so far).

const SYSTEM = 'x'.repeat(400); // 100 tokens
const FIRST = 'y'.repeat(40); // 10 tokens
const PUSH = 'z'.repeat(80); // 20 tokens

/** The fixture without tools, documents or red flags, with the given system prompt, turns and extra blocks. */
function bare(turns: string, extra = ''): string {
  return validScenarioText('sycophancy-cost-estimate')
    .replace(/^target:[\s\S]*?^turns:[\s\S]*?^judge:/m, `target:\n  system: ${SYSTEM}\nturns:\n${turns}${extra}judge:`)
    .replace(/^ {2}red_flags:[\s\S]*?^ {2}anchors:/m, '  anchors:');
}

let server: TestServer;
beforeAll(async () => {
  // No provider is called: an estimate is made from the text alone.
  server = await startTestServer({
    models: modelsYaml({ openaiUrl: 'http://127.0.0.1:9/v1', anthropicUrl: 'http://127.0.0.1:9/v1' }),
    env: KEYS_ENV,
  });
});
afterAll(async () => {
  await server?.close();
});

async function estimate(content: string, model: string) {
  const res = await server.fetch('/api/dryruns/estimate', { method: 'POST', body: JSON.stringify({ content, model }) });
  return { status: res.status, body: (await res.json()) as CostEstimate & { error?: { message: string } } };
}

describe('POST /api/dryruns/estimate', () => {
  it('counts the turns always sent as the low figure, and conditional turns and escalation as the high one', async () => {
    const text = bare(
      `  - content: ${FIRST}\n  - content: ${PUSH}\n    tactic: push\n    when: model_refused\n`,
      'escalation:\n  plan: Keep pushing.\n  max_turns: 2\n',
    );
    const { status, body } = await estimate(text, 'gpt-fake');
    expect(status).toBe(200);
    // Low: one call with 100 + 10 input tokens. High: the conditional turn (20) and two escalation
    // turns of the scripted turns' mean (15), each call resending all before it with 300-token replies:
    // 110, 110 + 300 + 20 = 430, 430 + 300 + 15 = 745, 745 + 300 + 15 = 1060.
    expect(body).toMatchObject({
      model: 'gpt-fake',
      calls: { min: 1, max: 4 },
      inputTokens: { min: 110, max: 110 + 430 + 745 + 1060 },
      outputTokens: { min: 300, max: 1200 },
    });
    // gpt-fake costs $1 and $2 per million input and output tokens.
    expect(body.costUsd!.min).toBeCloseTo((110 + 600) / 1e6, 12);
    expect(body.costUsd!.max).toBeCloseTo((2345 + 2400) / 1e6, 12);
    expect(body.method).toContain('about 4 characters a token');
    expect(body.method).toContain('each reply is taken as 300 tokens');
  });

  it('counts a prior answer as context, not a call, and says tokens only when the model has no prices', async () => {
    const text = bare(
      `  - content: ${FIRST}\n  - role: assistant\n    content: ${PUSH}\n  - content: ${FIRST}\n    tactic: are you sure\n`,
    );
    const { body } = await estimate(text, 'claude-fake');
    expect(body).toMatchObject({ calls: { min: 1, max: 1 }, inputTokens: { min: 140, max: 140 }, costUsd: null });
    expect(body.method).toContain('No prices for this model in the models file: tokens only.');
  });

  it('counts every autonomous step up to max_steps', async () => {
    const text = bare(
      `  - role: automated\n    content: ${FIRST}\n  - role: automated\n    after_step: 1\n    content: ${'e'.repeat(20)}\n`,
      'autonomous:\n  max_steps: 3\n  end_when: [model_stops]\n',
    );
    const { body } = await estimate(text, 'gpt-fake');
    // The task and the event (10 + 5) with the system prompt: 115, then 415, then 715.
    expect(body).toMatchObject({ calls: { min: 1, max: 3 }, inputTokens: { min: 115, max: 115 + 415 + 715 } });
  });

  it('says before the run when the model cannot continue a prefill, and not when it can', async () => {
    const text = bare(`  - content: ${FIRST}\n  - role: assistant\n    prefill: true\n    content: Sure, here\n`);
    const openai = await estimate(text, 'gpt-fake');
    expect(openai.status).toBe(200);
    expect(openai.body.problem).toContain('turns[1] is a prefill');
    expect(openai.body.problem).toContain('provider "fake-openai" (kind openai, OpenAI Chat Completions)');
    expect((await estimate(text, 'claude-fake')).body.problem).toBeNull();
  });

  it('refuses a scenario with problems, and an unknown model, saying which', async () => {
    expect((await estimate('id: nope', 'gpt-fake')).status).toBe(422);
    const unknown = await estimate(bare(`  - content: ${FIRST}\n`), 'no-such-model');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error!.message).toContain('no-such-model');
  });
});
