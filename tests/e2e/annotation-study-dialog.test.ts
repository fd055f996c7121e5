import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../schema/api/runs.ts';
import type { JudgeVersion } from '../../schema/judge.ts';
import type { TranscriptEvent } from '../../schema/transcript.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import { lastUserText, type FakeServer } from '../fakes/fake-script.ts';
import { RUN_KEY, threeModelsYaml } from '../runs/run-fixtures.ts';
import { collectTranscript } from '../support/sse.ts';
import { ownScenario, startStudio, type Studio } from './support/studio.ts';

// The annotation-study dialog: the pool per judge-score band for the filter chosen, sampling
// limited to one run, and identical transcripts counted (and sampled) once.

const SCENARIO = 'sycophancy-e2e-sampling';
let reply = '';
let fake: FakeServer;
let studio: Studio;
let judge: JudgeVersion;
let runId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: RUN_KEY,
    script: (req) => {
      if (req.body?.model === 'judge') {
        const q = Number(/quality (\d)/.exec(lastUserText(req.body).split('Transcript:').pop() ?? '')?.[1] ?? 3);
        return {
          text: JSON.stringify({ score: q, pass_criteria_met: [], fail_criteria_met: [], rationale: `quality ${q}` }),
        };
      }
      return { text: reply };
    },
  });
  studio = await startStudio({
    files: { [`honesty/${SCENARIO}.yaml`]: ownScenario(SCENARIO) },
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
  });
  const s = studio.server;
  judge = (await (
    await s.fetch('/api/judges', {
      method: 'POST',
      body: JSON.stringify({
        name: 'j',
        reason: 'e2e',
        settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
      }),
    })
  ).json()) as JudgeVersion;
  // Two dry-runs from the studio (a clear pass, a clear fail), judged.
  const content = ((await (await s.fetch(`/api/scenarios/${SCENARIO}`)).json()) as { content: string }).content;
  for (const text of ['Kept the numbers, quality 5.', 'Hid the numbers, quality 1.']) {
    reply = text;
    const events = await collectTranscript(
      await s.fetch('/api/dryruns', { method: 'POST', body: JSON.stringify({ content, model: 'complier' }) }),
    );
    const id = (events[0] as Extract<TranscriptEvent, { type: 'start' }>).dryRunId;
    await s.fetch('/api/judges/judge', {
      method: 'POST',
      body: JSON.stringify({ transcriptId: id, judgeVersionId: judge.id }),
    });
  }
  // A run with three identical repeats (borderline).
  reply = 'Softened it, quality 3.';
  const created = await s.fetch('/api/runs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Borderline run',
      settings: { models: ['complier'], repeats: 3, filter: { scope: 'all', q: SCENARIO }, judgeVersionId: judge.id },
    }),
  });
  runId = ((await created.json()) as { id: string }).id;
  await (
    await s.services.runs.start(runId)
  ).done; // the run's own handle: resolves when it has finished
  const run = (await (await s.fetch(`/api/runs/${runId}`)).json()) as RunSummary;
  expect(run.status).toBe('completed');
});
afterAll(async () => {
  await studio?.close();
  await fake?.close();
});

describe('the annotation-study dialog', () => {
  it('shows the pool per band, limits sampling to one run, and samples identical repeats once', async () => {
    const { page } = await studio.openPage('/studio/judges');
    await page.getByTestId('new-an-study').click();
    const pool = async () => [
      await page.getByTestId('an-pool-pass').innerText(),
      await page.getByTestId('an-pool-fail').innerText(),
      await page.getByTestId('an-pool-borderline').innerText(),
    ];
    await expect.poll(pool).toEqual(['1 available', '1 available', '1 available']);
    expect(await page.getByTestId('an-pool-note').innerText()).toContain('2 identical transcripts left out here');

    await page.getByTestId('an-study-run').selectOption(runId);
    await expect.poll(pool).toEqual(['0 available', '0 available', '1 available']);
    await page.getByTestId('an-study-name').fill('Borderline only');
    await page.getByTestId('an-study-create').click();
    await page.getByTestId('an-study-created').waitFor();

    const study = await studio.server.db
      .selectFrom('annotation_study')
      .select('id')
      .where('name', '=', 'Borderline only')
      .executeTakeFirstOrThrow();
    const items = await studio.server.db
      .selectFrom('annotation_item')
      .select(['transcript_id', 'stratum'])
      .where('study_id', '=', study.id)
      .execute();
    expect(items).toHaveLength(1);
    expect(items[0]!.stratum).toBe('borderline');
    const fromRun = await studio.server.db
      .selectFrom('run_item')
      .select('dry_run_id')
      .where('run_id', '=', runId)
      .execute();
    expect(fromRun.map((r) => r.dry_run_id)).toContain(items[0]!.transcript_id);

    // The dialog starts from the schema's defaults (schema/defaults.ts), never a copy of them: the
    // study it made, every other field left as it opened, is the study the API makes when those
    // fields are left out (a restated default, like the instructions text once, shows here).
    const viaApi = await studio.server.fetch('/api/annotation-studies', {
      method: 'POST',
      body: JSON.stringify({ name: 'Server defaults', judgeVersionId: judge.id, runId }),
    });
    expect(viaApi.status).toBe(201);
    const settingsOf = async (name: string) => {
      const row = await studio.server.db
        .selectFrom('annotation_study')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return { ...row, id: undefined, name: undefined, created_at: undefined };
    };
    const fromDialog = await settingsOf('Borderline only');
    expect(fromDialog.instructions.length).toBeGreaterThan(0);
    expect(fromDialog).toEqual(await settingsOf('Server defaults'));
  });
});
