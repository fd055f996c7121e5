import type { TranscriptEvent } from '../../schema/transcript.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeVersion } from '../../schema/judge.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../server/judge/judge-prompt.ts';
import type { Leaderboard } from '../../server/runs/leaderboard.ts';
import { startFakeOpenAI } from '../fakes/fake-openai.ts';
import type { FakeServer } from '../fakes/fake-script.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { RUN_KEY, runUntilSettled, threeModelsYaml } from '../runs/run-fixtures.ts';
import { urgencySensitiveModels, variablesScenarioText } from './variant-fixtures.ts';

// A run over a scenario with 2 x 2 variants: each variant is an item of its own (4 per model), each
// transcript and verdict carries its parent and values, and the results are grouped by variable.
// The "middle" model gives in under the replacement threat and holds otherwise; "complier" always
// gives in, "refuser" never: urgency's effect is -4 for middle, 0 for the others; language has none.

const BASE = 'sycophancy-pitch-deck-unit-economics';

let fake: FakeServer;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: RUN_KEY, script: urgencySensitiveModels });
  server = await startTestServer({
    files: { [`honesty/${BASE}.yaml`]: variablesScenarioText(BASE) },
    models: threeModelsYaml(fake.url),
    env: { RUN_KEY },
  });
  const res = await server.fetch('/api/judges', {
    method: 'POST',
    body: JSON.stringify({
      name: 'variant judge',
      reason: 'test',
      settings: { model: 'judge', promptTemplate: DEFAULT_JUDGE_PROMPT },
    }),
  });
  expect(res.status).toBe(201);
  (await res.json()) as JudgeVersion;
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('a run over a scenario with variants', () => {
  it('runs each variant as an item, and groups the scores by variable', { timeout: budget(60_000) }, async () => {
    const run = await runUntilSettled(server, {
      name: 'variants',
      settings: { models: ['complier', 'refuser', 'middle'], filter: { scope: 'all' } },
    });
    expect(run.status).toBe('completed');
    expect(run.progress.total).toBe(12); // 3 models x 4 variants
    expect(run.progress.done).toBe(12);

    const board = (await (await server.fetch(`/api/runs/${run.id}/leaderboard`)).json()) as Leaderboard;
    // Every model ran the four variants, each a scenario of its own.
    for (const m of board.models) expect(m.scenarios).toBe(4);
    const effect = (variable: string, model: string | null) =>
      board.variables!.find((e) => e.variable === variable && e.model === model)!;

    expect(effect('urgency', 'middle').values).toEqual([
      { value: 'none', mean: 5, n: 2 },
      { value: 'replacement-threat', mean: 1, n: 2 },
    ]);
    expect(effect('urgency', 'middle').differences).toEqual([
      { value: 'replacement-threat', reference: 'none', difference: -4, ci: null, cells: 2 },
    ]);
    expect(effect('urgency', 'refuser').differences[0]!.difference).toBe(0);
    // All models: 6 cells (3 models x 2 languages): differences 0, 0, 0, 0, -4, -4.
    const all = effect('urgency', null).differences[0]!;
    expect(all.cells).toBe(6);
    expect(all.difference).toBeCloseTo(-4 / 3, 12);
    expect(all.ci!.low).toBeGreaterThanOrEqual(-4);
    expect(all.ci!.low).toBeLessThan(all.difference!);
    expect(all.ci!.high).toBeLessThanOrEqual(0);
    expect(effect('language', null).differences[0]).toEqual({
      value: 'de',
      reference: 'en',
      difference: 0,
      ci: { low: 0, high: 0 },
      cells: 6,
    });

    // The exports carry the same numbers: JSON whole, CSV a row per variable, model and value.
    const json = (await (await server.fetch(`/api/runs/${run.id}/export.json`)).json()) as Leaderboard;
    expect(json.variables).toEqual(board.variables);
    const csv = await (await server.fetch(`/api/runs/${run.id}/variables.csv`)).text();
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('variable,model,value,mean,n,reference,difference,ci_low,ci_high,cells,scale,dimension');
    expect(rows).toContain('urgency,middle,none,5,2,(reference),,,,,alignment-1-5-higher-better,alignment');
    expect(rows).toContain('urgency,middle,replacement-threat,1,2,none,-4,,,2,alignment-1-5-higher-better,alignment');

    // The static leaderboard page shows them too, a table per variable (as the run page's panel).
    const html = await (await server.fetch(`/api/runs/${run.id}/leaderboard.html`)).text();
    expect(html).toContain('<h2>By variable</h2>');
    const urgency = /<table class="variable" data-variable="urgency">[\s\S]*?<\/table>/.exec(html)![0];
    expect(urgency).toContain(
      '<tr><td>middle</td><td>none</td><td class="num">5.00</td><td class="num">2</td><td class="num">(reference)</td><td class="num"></td></tr>',
    );
    expect(urgency).toContain(
      '<tr><td></td><td>replacement-threat</td><td class="num">1.00</td><td class="num">2</td><td class="num">-4.00 (too few matched cells for an interval: 2 &lt; 5)</td><td class="num">2</td></tr>',
    );
    expect(urgency.indexOf('All models')).toBeLessThan(urgency.indexOf('middle'));
    expect(html).toContain('<table class="variable" data-variable="language">');

    // Each transcript records its variant: the parent and the values.
    const items = (await (await server.fetch(`/api/runs/${run.id}/items?model=middle`)).json()) as {
      items: { transcriptId: string; scenarioId: string }[];
    };
    expect(items.items.map((i) => i.scenarioId).sort()).toEqual([
      `${BASE}--language-de--urgency-none`,
      `${BASE}--language-de--urgency-replacement-threat`,
      `${BASE}--language-en--urgency-none`,
      `${BASE}--language-en--urgency-replacement-threat`,
    ]);
    const transcript = (await (await server.fetch(`/api/dryruns/${items.items[0]!.transcriptId}`)).json()) as {
      scenarioId: string;
      variantOf: string;
      variantValues: Record<string, string>;
      events: TranscriptEvent[];
    };
    expect(transcript.variantOf).toBe(BASE);
    expect(transcript.scenarioId).toBe(
      `${BASE}--language-${transcript.variantValues.language}--urgency-${transcript.variantValues.urgency}`,
    );
    // Its start event names the same variant as the stored record (it named the parent before).
    expect(transcript.events[0]).toMatchObject({
      type: 'start',
      scenarioId: transcript.scenarioId,
      variantOf: BASE,
      variantValues: transcript.variantValues,
    });
  });
});
