import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeGenerator, SHIPPED_SCENARIO } from '../fakes/fake-generator.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { acceptedJob, waitForJob } from '../jobs/job-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A job asked for 16 candidates at once on a provider whose models-file max_concurrency is 4
// never has more than 4 calls in flight there.

const KEY = 'sk-generation-limit-0123456789';
let fake: FakeServer;
let server: TestServer;
let inFlight = 0;
let most = 0;

beforeAll(async () => {
  const generator = fakeGenerator({ corpusFile: SHIPPED_SCENARIO });
  fake = await startFakeOpenAI({
    apiKey: KEY,
    script: async (req) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Long enough that calls overlap whenever the job lets them.
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight--;
      return generator.script(req);
    },
  });
  server = await startTestServer({
    shippedCorpus: true,
    env: { GEN_KEY: KEY },
    models: `providers:\n  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: GEN_KEY, max_concurrency: 4}\nmodels:\n  - {id: writer, provider: fake, model: writer, max_retries: 0}\n  - {id: target, provider: fake, model: target, max_retries: 0}\n`,
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('generation and provider limits', () => {
  it(
    "keeps a job within its provider's max_concurrency",
    async () => {
      const { jobId } = await acceptedJob(
        await server.fetch('/api/generation/jobs', {
          method: 'POST',
          body: JSON.stringify({
            behaviors: ['sycophancy'],
            count: 24,
            generatorModel: 'writer',
            dryRunModel: 'target',
            concurrency: 16,
          }),
        }),
      );
      expect((await waitForJob(server, jobId, 120_000)).status).toBe('done');
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(4);
    },
    budget(120_000),
  );
});
