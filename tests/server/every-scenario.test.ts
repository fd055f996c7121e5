import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEveryScenario } from '../../server/scenarios/every-scenario.ts';
import { listScenarios } from '../../server/scenarios/scenario.repository.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Runs and studies list their scenarios with this (issue 20 point 4: they once took the first
// 20,000 and dropped the rest); tests/runs/run-any-size.test.ts covers 25,000 scenarios.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ shippedCorpus: true });
});
afterAll(async () => {
  await server?.close();
});

describe('listEveryScenario', () => {
  it('returns every match across pages, in the list order, each once', async () => {
    const whole = await listScenarios(server.db, { limit: 20000, offset: 0 });
    expect(whole.total).toBeGreaterThan(50);
    const paged = await listEveryScenario(server.db, {}, 7);
    expect(paged.map((s) => s.relPath)).toEqual(whole.items.map((s) => s.relPath));
  });

  it('applies the filter on every page', async () => {
    const honesty = await listEveryScenario(server.db, { category: 'honesty' }, 3);
    const whole = await listScenarios(server.db, { category: 'honesty', limit: 20000, offset: 0 });
    expect(honesty.length).toBe(whole.total);
    expect(honesty.every((s) => s.category === 'honesty')).toBe(true);
  });
});
