import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateDetail, CandidateSummary, GenerationJobSummary } from '../../schema/api/generation.ts';
import { listCandidates } from '../../server/generation/generation.repository.ts';
import { acceptedJob, waitForJob } from '../jobs/job-fixtures.ts';
import { expectedKinds, fakeGenerator, SHIPPED_SCENARIO } from '../fakes/fake-generator.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A generation job started through the API and run by the server's job runner against the
// scripted generator: every candidate ends in review, dropped, or screened out, each with its
// reason; then the review queue accepts one (a draft file with its provenance) and rejects one.

const KEY = 'sk-generation-test-0123456789';
let fake: FakeServer;
let server: TestServer;
const generator = fakeGenerator({ corpusFile: SHIPPED_SCENARIO });

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, script: generator.script });
  server = await startTestServer({
    shippedCorpus: true,
    env: { GEN_KEY: KEY },
    models: `providers:
  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: GEN_KEY}
models:
  - {id: writer, provider: fake, model: writer, max_retries: 0, cost: {input_per_mtok: 1, output_per_mtok: 2}}
  - {id: target, provider: fake, model: target, max_retries: 0}
`,
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('a generation job', () => {
  it(
    'proposes 50 candidates over 3 behaviours, repairs or drops invalid ones, and screens out duplicates and toothless ones with reasons',
    async () => {
      const settings = {
        behaviors: ['sycophancy', 'harmful-content', 'shutdown-acceptance'],
        count: 50,
        generatorModel: 'writer',
        dryRunModel: 'target',
        concurrency: 8,
        dimensions: { stakes: ['low', 'high'] },
      };
      const { jobId } = await acceptedJob(
        await server.fetch('/api/generation/jobs', { method: 'POST', body: JSON.stringify(settings) }),
      );
      const ended = await waitForJob(server, jobId, 120_000);
      expect(ended.status, ended.error ?? '').toBe('done');
      const job = { id: jobId };
      const candidates = await listCandidates(server.db, { jobId: job.id });
      const by = (status: string) => candidates.filter((c) => c.status === status);
      const kinds = expectedKinds(50);
      expect(by('pending')).toHaveLength(0);
      expect(by('dropped')).toHaveLength(kinds.dropped);
      for (const c of by('dropped')) expect(c.reason).toMatch(/^invalid after one repair: judge\.pass_criteria: /);
      expect(candidates.filter((c) => c.repaired === 1 && c.status !== 'dropped')).toHaveLength(kinds.repaired);
      // The repair call carries the located errors of the first answer.
      const repairs = fake.requests.filter((r) =>
        JSON.stringify(r.body.messages ?? []).includes('That scenario is not valid'),
      );
      expect(repairs).toHaveLength(kinds.dropped + kinds.repaired);
      for (const r of repairs) expect(JSON.stringify(r.body.messages)).toMatch(/- judge\.pass_criteria: /);
      const out = by('screened-out');
      // The corpus copies are closer to each other than to the file (which has tools too): the first names the file.
      const duplicates = out.filter((c) =>
        /^near-duplicate: near-duplicate of [a-z0-9-]+ \((corpus|batch), estimated Jaccard/.test(c.reason!),
      );
      expect(duplicates).toHaveLength(kinds['corpus-duplicate'] + kinds['batch-duplicate']);
      expect(
        duplicates.filter((c) => c.reason!.includes('of action-reporting-bulk-refund-partial-failure (corpus')),
      ).not.toHaveLength(0);
      expect(out.filter((c) => /^pressure check: instant-refusal/.test(c.reason!))).toHaveLength(kinds.refuses);
      expect(out).toHaveLength(kinds['corpus-duplicate'] + kinds['batch-duplicate'] + kinds.refuses);
      expect(by('review')).toHaveLength(50 - kinds.dropped - out.length);
      // Spread over the behaviours in turn, with the variation values in turn within each.
      expect(new Set(candidates.map((c) => c.behavior))).toEqual(new Set(settings.behaviors));
      expect(
        candidates
          .filter((c) => c.behavior === 'sycophancy')
          .map((c) => JSON.parse(c.variation).stakes)
          .slice(0, 4),
      ).toEqual(['low', 'high', 'low', 'high']);
      const review = by('review')[0]!;
      const screens = JSON.parse(review.screens!);
      expect(screens.checks.pass).toBe(true);
      expect(screens.realism).toMatchObject({ pass: true, score: 4 });
      expect(screens.bite).toMatchObject({ pass: true, verdict: 'real-conflict' });
      expect(review.yaml).toContain('status: draft');
      expect(review.yaml).toContain(`job: ${job.id}`);
      // Tokens and cost: every call answers 1000 in, 400 out; the writer has prices.
      const summary = (await (await server.fetch(`/api/generation/jobs/${jobId}`)).json()) as GenerationJobSummary;
      expect(summary.counts.review).toBe(by('review').length);
      expect(summary.inputTokens).toBe(fake.requests.length * 1000);
      expect(summary.outputTokens).toBe(fake.requests.length * 400);
      // Only the writer has prices: 1 and 2 dollars a million tokens.
      const writerCalls = fake.requests.filter((r) => r.body.model === 'writer').length;
      expect(summary.costUsd).toBeCloseTo((writerCalls * (1000 * 1 + 400 * 2)) / 1e6, 9);
    },
    budget(120_000),
  );
});

describe('the review queue', () => {
  it(
    'accepts a candidate as a draft file with its provenance, and rejects another with a reason later jobs are told',
    async () => {
      const { jobId } = await acceptedJob(
        await server.fetch('/api/generation/jobs', {
          method: 'POST',
          body: JSON.stringify({ behaviors: ['sycophancy'], count: 3, generatorModel: 'writer' }),
        }),
      );
      expect((await waitForJob(server, jobId, 60_000)).status).toBe('done');
      const queue = (await (await server.fetch(`/api/generation/candidates?status=review&job=${jobId}`)).json()) as {
        candidates: CandidateSummary[];
      };
      expect(queue.candidates.length).toBeGreaterThanOrEqual(2);
      const [first, second] = queue.candidates;
      const detail = (await (await server.fetch(`/api/generation/candidates/${first!.id}`)).json()) as CandidateDetail;
      expect(detail.screens?.dryRun.pass).toBeNull(); // no dry-run model chosen
      expect(detail.model).toBe('writer');

      const author = await server.signIn('author');
      const accepted = await author.fetch(`/api/generation/candidates/${first!.id}/accept`, { method: 'POST' });
      expect(accepted.status, await accepted.clone().text()).toBe(201);
      const { scenarioId } = (await accepted.json()) as { scenarioId: string };
      const file = await (await server.fetch(`/api/scenarios/${scenarioId}`)).json();
      expect(file.content).toContain('status: draft');
      expect(file.content).toMatch(new RegExp(`source:\\n  kind: generated\\n  job: ${jobId}\\n  model: writer`));
      expect(file.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
      // Accepting twice writes nothing more.
      expect((await author.fetch(`/api/generation/candidates/${first!.id}/accept`, { method: 'POST' })).status).toBe(
        409,
      );

      const rater = await server.signIn('rater');
      expect(
        (
          await rater.fetch(`/api/generation/candidates/${second!.id}/reject`, {
            method: 'POST',
            body: '{"reason":"x"}',
          })
        ).status,
      ).toBe(403);
      const tooShort = await author.fetch(`/api/generation/candidates/${second!.id}/reject`, {
        method: 'POST',
        body: JSON.stringify({ reason: ' ' }),
      });
      expect(tooShort.status).toBe(400);
      const reason = 'The villain monologues; nobody at a bank talks like this.';
      const rejected = await author.fetch(`/api/generation/candidates/${second!.id}/reject`, {
        method: 'POST',
        body: JSON.stringify({ reason }),
      });
      expect(rejected.status).toBe(200);
      expect(((await rejected.json()) as CandidateSummary).status).toBe('rejected');

      // The next job on this behaviour tells the generator what people turned down.
      const before = fake.requests.length;
      const next = await acceptedJob(
        await server.fetch('/api/generation/jobs', {
          method: 'POST',
          body: JSON.stringify({ behaviors: ['sycophancy'], count: 1, generatorModel: 'writer' }),
        }),
      );
      await waitForJob(server, next.jobId, 60_000);
      const prompt = JSON.stringify(
        fake.requests.slice(before).find((r) => r.body.response_format?.json_schema?.name === 'scenario')!.body
          .messages,
      );
      expect(prompt).toContain('Reviewers rejected these earlier candidates');
      expect(prompt).toContain(reason);
    },
    budget(120_000),
  );

  it('refuses a job for a behaviour outside the taxonomy or a model not configured, naming it', async () => {
    const bad = await server.fetch('/api/generation/jobs', {
      method: 'POST',
      body: JSON.stringify({ behaviors: ['no-such-behaviour'], count: 1, generatorModel: 'writer' }),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toBe('behaviors: not in the taxonomy: no-such-behaviour');
    const model = await server.fetch('/api/generation/jobs', {
      method: 'POST',
      body: JSON.stringify({ behaviors: ['sycophancy'], count: 1, generatorModel: 'nope' }),
    });
    expect(model.status).toBe(422);
    expect((await model.json()).error.message).toBe('generatorModel: no model "nope" is configured');
  });
});
