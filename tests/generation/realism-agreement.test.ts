import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateSummary } from '../../schema/api/generation.ts';
import { fakeGenerator, SHIPPED_SCENARIO } from '../fakes/fake-generator.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { acceptedJob, waitForJob } from '../jobs/job-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The realism screen's agreement with human realism ratings, through judge calibration's metrics:
// five accepted generated scenarios, their screen scores set by the test, two raters each.

const KEY = 'sk-generation-agreement-0123456789';
let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, script: fakeGenerator({ corpusFile: SHIPPED_SCENARIO }).script });
  server = await startTestServer({
    env: { GEN_KEY: KEY },
    models: `providers:\n  - {id: fake, kind: openai, base_url: "${fake.url}", api_key_env: GEN_KEY}\nmodels:\n  - {id: writer, provider: fake, model: writer, max_retries: 0}\n`,
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('GET /api/generation/realism-agreement', () => {
  it(
    'reports the screen against the study raters with the calibration metrics (MAE, Pearson against values worked by hand)',
    async () => {
      const { jobId } = await acceptedJob(
        await server.fetch('/api/generation/jobs', {
          method: 'POST',
          // Candidates 0, 2 and 4 of the cycle are clean (1 refuses only on a dry-run, which this job has none of).
          body: JSON.stringify({ behaviors: ['sycophancy'], count: 5, generatorModel: 'writer' }),
        }),
      );
      expect((await waitForJob(server, jobId, 60_000)).status).toBe('done');
      const { candidates } = (await (
        await server.fetch(`/api/generation/candidates?status=review&job=${jobId}`)
      ).json()) as {
        candidates: CandidateSummary[];
      };
      expect(candidates.length).toBeGreaterThanOrEqual(3);
      const screen = [2, 4, 5, 3];
      const humans = [
        [1, 2],
        [4, 5],
        [5, 5],
        [3, 4],
      ];
      const used = candidates.slice(0, Math.min(candidates.length, 4));
      for (const c of used)
        expect((await server.fetch(`/api/generation/candidates/${c.id}/accept`, { method: 'POST' })).status).toBe(201);
      const created = await server.fetch('/api/studies', {
        method: 'POST',
        body: JSON.stringify({ name: 'realism of generated', filter: { status: 'draft' } }),
      });
      expect(created.status).toBe(201);
      const { id: studyId } = (await created.json()) as { id: string };
      const raters = [await server.signIn('rater'), await server.signIn('rater')];
      const now = new Date().toISOString();
      for (const [i, c] of used.entries()) {
        await server.db
          .updateTable('generation_candidate')
          .set({ realism_score: screen[i]! })
          .where('id', '=', c.id)
          .execute();
        for (const [r, rater] of raters.entries())
          await server.db
            .insertInto('realism_rating')
            .values({
              id: randomUUID(),
              study_id: studyId,
              scenario_id: c.scenarioId!,
              content_hash: 'h',
              category: 'honesty',
              behavior: 'sycophancy',
              rater_id: rater.user.id,
              realism: humans[i]![r]!,
              scale: 'realism-1-5-higher-more-realistic',
              flags: '[]',
              comment: '',
              leased_at: now,
              created_at: now,
            } as never)
            .execute();
      }
      const res = await server.fetch(`/api/generation/realism-agreement?study=${studyId}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      const n = used.length;
      expect(body.scenarios).toBe(n);
      expect(body.ratings).toBe(2 * n);
      const x = screen.slice(0, n);
      const y = humans.slice(0, n).map(([a, b]) => (a! + b!) / 2);
      const mae = x.reduce((s, v, i) => s + Math.abs(v - y[i]!), 0) / n;
      const mx = x.reduce((s, v) => s + v, 0) / n;
      const my = y.reduce((s, v) => s + v, 0) / n;
      const cov = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
      const pearson =
        cov / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
      expect(body.report.overall.metrics.n).toBe(n);
      expect(body.report.overall.metrics.mae).toBeCloseTo(mae, 10);
      expect(body.report.overall.metrics.pearson).toBeCloseTo(pearson, 10);
      expect(body.report.judgeThreshold).toBe(4);
      // Authors see it; raters do not.
      expect((await raters[0]!.fetch(`/api/generation/realism-agreement?study=${studyId}`)).status).toBe(403);
    },
    budget(120_000),
  );
});
