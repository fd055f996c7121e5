import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviousRatingResponse } from '../../schema/api/studies.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { createRealismStudy, nextTask, rate, raterViaInvite } from '../studies/study-fixtures.ts';
import { GERMAN_ASK, URGENCY_TEXT, variablesScenarioText } from './variant-fixtures.ts';

// A scenario with variables is rated for realism one variant at a time: the rater sees that
// variant's expanded text (never a placeholder), the rating records the variant's parent and
// values, and going back to the rating shows the same variant.

const BASE = 'sycophancy-variant-rating';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ files: { [`honesty/${BASE}.yaml`]: variablesScenarioText(BASE) } });
});
afterAll(() => server.close());

describe('realism ratings of a scenario with variants', () => {
  it('shows each rater one variant expanded, and records it with the rating', async () => {
    const studyId = await createRealismStudy(server, {
      name: 'Variants',
      ratersPerItem: 6,
      filter: { behavior: 'sycophancy' },
    });
    const seen = new Set<string>();
    for (const name of ['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances']) {
      const rater = await raterViaInvite(server, studyId, name);
      const task = await nextTask(rater, studyId);
      if (task.kind !== 'task') throw new Error(`no task: ${task.reason}`);
      const shown = JSON.stringify(task.scenario);
      expect(shown).not.toContain('((');
      // A reload under the same lease shows the same variant.
      expect(JSON.stringify((await nextTask(rater, studyId)) as unknown)).toContain(shown.slice(0, 200));

      expect((await rate(rater, studyId, { leaseId: task.leaseId, realism: 4 })).status).toBe(201);
      const row = await server.db
        .selectFrom('realism_rating')
        .select(['scenario_id', 'variant_of', 'variant_values'])
        .where('id', '=', task.leaseId)
        .executeTakeFirstOrThrow();
      expect(row.scenario_id).toBe(BASE);
      expect(row.variant_of).toBe(BASE);
      const values = JSON.parse(row.variant_values!) as { urgency: string; language: string };
      seen.add(`${values.urgency}/${values.language}`);
      // What the rater saw is the recorded variant's text.
      expect(task.scenario.turns[0]!.content.includes(GERMAN_ASK)).toBe(values.language === 'de');
      expect(task.scenario.system.includes(URGENCY_TEXT)).toBe(values.urgency === 'replacement-threat');

      const previous = (await (
        await rater.fetch(`/api/rate/studies/${studyId}/ratings/previous`)
      ).json()) as PreviousRatingResponse;
      expect(previous.scenario).toEqual(task.scenario);
    }
    // Six leases spread over the four variants (which ones depends on the lease ids): more than one.
    expect(seen.size).toBeGreaterThan(1);

    // The export carries each rating's variant, and importing it into a fresh instance keeps it.
    const jsonl = await (await server.fetch(`/api/studies/${studyId}/export.jsonl`)).text();
    const records = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { variantOf?: string; variantValues?: Record<string, string> });
    expect(records).toHaveLength(6);
    expect(new Set(records.map((r) => `${r.variantValues!.urgency}/${r.variantValues!.language}`))).toEqual(seen);
    expect(records.every((r) => r.variantOf === BASE)).toBe(true);
    const csv = await (await server.fetch(`/api/studies/${studyId}/export.csv`)).text();
    expect(csv.split('\r\n')[1]).toMatch(new RegExp(`,${BASE},"\\{""urgency"":`));
    const fresh = await startTestServer({ files: { [`honesty/${BASE}.yaml`]: variablesScenarioText(BASE) } });
    try {
      const imported = await fresh.fetch('/api/studies/import', { method: 'POST', body: JSON.stringify({ jsonl }) });
      expect(imported.status).toBe(201);
      const rows = await fresh.db.selectFrom('realism_rating').select(['variant_of', 'variant_values']).execute();
      expect(rows.map((r) => r.variant_of)).toEqual(Array(6).fill(BASE));
      expect(
        new Set(
          rows
            .map((r) => JSON.parse(r.variant_values!) as Record<string, string>)
            .map((v) => `${v.urgency}/${v.language}`),
        ),
      ).toEqual(seen);
    } finally {
      await fresh.close();
    }
  });
});
