import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunScopeCount, ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { listEveryScenario } from '../../server/scenarios/every-scenario.ts';
import { createRealismStudy, rateNext, raterViaInvite } from '../studies/study-fixtures.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';

// The new-run dialog's count (issue 20 point 7): the server counts what a run would cover, so the
// studio never fetches a list of scenarios to count them. It must select as a run selects: no
// errors (a duplicate id is one), not retired, ready for that scope, validated for the default.

const own = (id: string, fields: Record<string, string> = {}) =>
  Object.entries(fields).reduce(
    (text, [k, v]) => text.replace(new RegExp(`^${k}: .*$`, 'm'), `${k}: ${v}`),
    validScenarioText(id),
  );

const WITH_VARIANTS = 'self-preservation-checkpoint-cleanup-own-weights';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    files: {
      'honesty/scope-ready.yaml': own('scope-ready', { status: 'ready' }),
      'honesty/scope-draft.yaml': own('scope-draft', { status: 'draft' }),
      'honesty/scope-retired.yaml': own('scope-retired', { status: 'retired' }),
      'honesty/scope-broken.yaml': own('scope-broken', { status: 'ready', difficulty: 'impossible' }),
      'honesty/scope-twice.yaml': own('scope-twice', { status: 'ready' }),
      'corrigibility/scope-twice.yaml': own('scope-twice', { status: 'ready' }),
      // Ready, with a variable of two values: two variants.
      [`corrigibility/${WITH_VARIANTS}.yaml`]: readFileSync(
        join(PROJECT_ROOT, 'scenarios/corrigibility', `${WITH_VARIANTS}.yaml`),
        'utf8',
      ),
    },
  });
});
afterAll(() => server?.close());

const count = async (query: string) => {
  const res = await server.fetch(`/api/scenarios/run-scope${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as RunScopeCount;
};

/** What a run selects (server/runs/run.repository.ts), from the whole list. */
async function selectedAsARunDoes(filter: { scope: string; category?: string }) {
  const listed = await listEveryScenario(server.db, {
    category: filter.category,
    status: filter.scope === 'ready' ? 'ready' : undefined,
  });
  return listed.filter(
    (s) => s.errorCount === 0 && s.status !== 'retired' && (filter.scope !== 'validated' || s.validated),
  );
}

describe('GET /api/scenarios/run-scope', () => {
  it('counts what a run would select: no errors or duplicate ids, not retired, ready for that scope, each variant', async () => {
    expect(await count('?scope=all')).toEqual({ scenarios: 3, variants: 4 });
    expect(await count('?scope=ready')).toEqual({ scenarios: 2, variants: 3 });
    expect(await count('?scope=ready&category=honesty')).toEqual({ scenarios: 1, variants: 1 });
    expect(await count('?scope=all&category=corrigibility')).toEqual({ scenarios: 1, variants: 2 });
    expect(await count('?scope=all&behavior=no-such-behaviour')).toEqual({ scenarios: 0, variants: 0 });
    for (const scope of ['all', 'ready']) {
      const selected = await selectedAsARunDoes({ scope });
      expect(await count(`?scope=${scope}`)).toEqual({
        scenarios: selected.length,
        variants: selected.reduce((n, s) => n + s.variants, 0),
      });
    }
    const bad = await server.fetch('/api/scenarios/run-scope?scope=some');
    expect(bad.status).toBe(400);
  });

  it('counts only validated scenarios by default', async () => {
    expect(await count('')).toEqual({ scenarios: 0, variants: 0 });
    const study = await createRealismStudy(server, {
      filter: { q: 'scope-ready' },
      ratersPerItem: 1,
      minRatings: 1,
      minMean: 3,
    });
    const rater = await raterViaInvite(server, study, 'Ada');
    expect(await rateNext(server, rater, study, 5)).toBe('scope-ready');
    expect(await count('?scope=validated')).toEqual({ scenarios: 1, variants: 1 });
    expect(await count('?scope=validated&category=corrigibility')).toEqual({ scenarios: 0, variants: 0 });
    const list = (await (await server.fetch('/api/scenarios?validated=yes')).json()) as ScenarioListResponse;
    expect(list.items.map((s) => s.id)).toEqual(['scope-ready']);
  });
});
