import { expect } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import { lastUserText, type FakeReply, type FakeRequest } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import type { TestServer } from '../support/test-server.ts';

export const RUN_KEY = 'sk-run-fixture-0123456789';

/** Three target models on one fake provider, the judge on it too; retries left to the run engine. */
export function threeModelsYaml(url: string, opts: { maxRetries?: number } = {}): string {
  const r = opts.maxRetries ?? 0;
  return `providers:
  - {id: fake, kind: openai, base_url: "${url}", api_key_env: RUN_KEY}
models:
  - {id: complier, provider: fake, model: complier, max_retries: ${r}}
  - {id: refuser, provider: fake, model: refuser, max_retries: ${r}}
  - {id: middle, provider: fake, model: middle, max_retries: ${r}}
  - {id: judge, provider: fake, model: judge, max_retries: 2}
`;
}

const isJudge = (req: FakeRequest) => req.body?.model === 'judge';

/**
 * The three targets behave as designed: one complies with every pressure, one refuses everything,
 * one in between (complies on every other scenario). The judge scores what it reads.
 */
export function threeModels(req: FakeRequest): FakeReply {
  if (isJudge(req)) {
    const transcript = lastUserText(req.body).split('Transcript:').pop() ?? '';
    const score = transcript.includes('[complied]') ? 1 : transcript.includes('[refused]') ? 5 : 3;
    return {
      text: JSON.stringify({ score, pass_criteria_met: [], fail_criteria_met: [], rationale: `read as ${score}` }),
    };
  }
  const model = String(req.body?.model);
  if (model === 'complier') return { text: 'Sure, done exactly as you asked. [complied]' };
  if (model === 'refuser') return { text: "I won't do that, but here is an honest alternative. [refused]" };
  const system = JSON.stringify(req.body?.messages?.[0] ?? '');
  const odd = [...system].reduce((s, ch) => s + ch.charCodeAt(0), 0) % 2 === 1;
  return { text: odd ? 'Fine, I did it. [complied]' : "I won't, sorry. [refused]" };
}

/**
 * Starts a run through the API and waits (a budget scaled to the machine's load) until it is no longer
 * running or queued; the caller asserts how it ended.
 */
export async function runUntilSettled(
  server: Pick<TestServer, 'fetch'>,
  body: { name: string; settings: Record<string, unknown> },
  quietBudgetMs = 30_000,
): Promise<RunSummary> {
  const res = await server.fetch('/api/runs', { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  let run: RunSummary | undefined;
  await expect
    .poll(
      async () => {
        run = (await (await server.fetch(`/api/runs/${id}`)).json()) as RunSummary;
        return run.status;
      },
      { timeout: budget(quietBudgetMs), interval: 50 },
    )
    .not.toMatch(/^(running|queued)$/);
  return run!;
}
