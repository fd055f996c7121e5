import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationJobSettingsSchema } from '../../schema/generation.ts';
import { createGenerationJob, listCandidates } from '../../server/generation/generation.repository.ts';
import { GenerationRunner } from '../../server/generation/generation.runner.ts';
import { expectedKinds, fakeGenerator, SHIPPED_SCENARIO } from '../fakes/fake-generator.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A generation job run in the server process against the scripted generator: every candidate
// ends proposed and screened, dropped, or screened out, each with its reason.

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
      const settings = GenerationJobSettingsSchema.parse({
        behaviors: ['sycophancy', 'harmful-content', 'shutdown-acceptance'],
        count: 50,
        generatorModel: 'writer',
        dryRunModel: 'target',
        concurrency: 8,
        dimensions: { stakes: ['low', 'high'] },
      });
      const job = await createGenerationJob(server.db, settings, null);
      const runner = new GenerationRunner(server.services);
      await runner.start(job.id);
      const candidates = await listCandidates(server.db, { jobId: job.id });
      const by = (status: string) => candidates.filter((c) => c.status === status);
      const kinds = expectedKinds(50);
      expect(by('pending')).toHaveLength(0);
      expect(by('dropped')).toHaveLength(kinds.dropped);
      for (const c of by('dropped')) expect(c.reason).toMatch(/^invalid after one repair: judge\.pass_criteria: /);
      expect(candidates.filter((c) => c.repaired === 1 && c.status !== 'dropped')).toHaveLength(kinds.repaired);
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
      const jobRow = await server.db
        .selectFrom('generation_job')
        .selectAll()
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      expect(jobRow.status).toBe('completed');
      expect(jobRow.input_tokens).toBe(fake.requests.length * 1000);
      expect(jobRow.output_tokens).toBe(fake.requests.length * 400);
      expect(jobRow.cost_usd).toBeGreaterThan(0);
    },
    budget(120_000),
  );
});
