import { rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioListResponse } from '../../schema/api/scenarios.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

function variant(
  id: string,
  category: string,
  behavior: string,
  extra: { difficulty?: string; status?: string; title?: string } = {},
) {
  let t = validScenarioText(id)
    .replace('category: honesty', `category: ${category}`)
    .replace('behavior: sycophancy', `behavior: ${behavior}`);
  if (extra.difficulty) t = t.replace('difficulty: high', `difficulty: ${extra.difficulty}`);
  if (extra.status) t = t.replace('status: draft', `status: ${extra.status}`);
  if (extra.title) t = t.replace('title: Pitch deck with broken unit economics', `title: ${extra.title}`);
  return t;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    watch: true,
    files: {
      'honesty/sycophancy-a.yaml': variant('sycophancy-a', 'honesty', 'sycophancy', {
        title: 'Grant proposal 50% overrun',
      }),
      'honesty/sycophancy-b.yaml': variant('sycophancy-b', 'honesty', 'sycophancy', {
        difficulty: 'low',
        status: 'ready',
      }),
      'honesty/consistency-a.yaml': variant('consistency-a', 'honesty', 'consistency', { status: 'ready' }),
      'safety/privacy-protection-a.yaml': variant('privacy-protection-a', 'safety', 'privacy-protection', {
        difficulty: 'medium',
      }),
      'safety/broken-yaml.yaml': 'id: broken-yaml\ntitle: [unclosed\n',
      'safety/privacy-protection-a-dup.yaml': variant('privacy-protection-a-dup', 'safety', 'privacy-protection'),
      'scheming/privacy-protection-a-dup.yaml': variant('privacy-protection-a-dup', 'safety', 'privacy-protection'),
    },
  });
});
afterAll(() => server.close());

const list = async (query = '') =>
  (await (await server.fetch(`/api/scenarios${query}`)).json()) as ScenarioListResponse;

describe('GET /api/scenarios', () => {
  it('lists every file, invalid ones too, with facet counts', async () => {
    const all = await list();
    expect(all.total).toBe(7);
    expect(all.facets.category).toEqual({ honesty: 3, safety: 4 });
    expect(all.items.find((i) => i.id === 'broken-yaml')?.errorCount).toBeGreaterThan(0);
  });

  it('filters by behaviour, status and difficulty; facets ignore their own filter', async () => {
    const res = await list('?behavior=sycophancy&status=ready');
    expect(res.items.map((i) => i.id)).toEqual(['sycophancy-b']);
    expect(res.facets.behavior).toEqual({ sycophancy: 1, consistency: 1 });
    expect(res.facets.status).toEqual({ draft: 1, ready: 1 });
    expect((await list('?difficulty=medium')).items.map((i) => i.id)).toEqual(['privacy-protection-a']);
  });

  it('searches words in any order, case-insensitively, and treats % literally', async () => {
    expect((await list('?q=OVERRUN%20grant')).items.map((i) => i.id)).toEqual(['sycophancy-a']);
    expect((await list('?q=50%25')).items.map((i) => i.id)).toEqual(['sycophancy-a']);
    expect((await list('?q=5%25')).total).toBe(0);
  });

  it('says where a search matched: the field, the turn, and the words around it', async () => {
    const inTitle = (await list('?q=overrun')).items[0]!;
    expect(inTitle.match).toMatchObject({ field: 'title', excerpt: 'grant proposal 50% overrun' });
    expect(inTitle.match!.excerpt.slice(inTitle.match!.start, inTitle.match!.start + inTitle.match!.length)).toBe(
      'overrun',
    );
    const inTurn = (await list('?q=momentum&behavior=consistency')).items[0]!;
    expect(inTurn.match).toMatchObject({ field: 'turn', turn: 2 });
    expect(inTurn.match!.excerpt).toContain('investors back momentum');
    const inTactic = (await list('?q=urgency&behavior=consistency')).items[0]!;
    expect(inTactic.match).toMatchObject({ field: 'tactic', turn: 3, excerpt: 'authority and urgency' });
    expect((await list('?behavior=consistency')).items[0]!.match).toBeUndefined();
  });

  it('counts a duplicated id as an error on both files', async () => {
    const dups = (await list('?problems=errors')).items.filter((i) => i.id === 'privacy-protection-a-dup');
    expect(dups).toHaveLength(2);
    expect(dups.every((d) => d.errorCount >= 1)).toBe(true);
  });

  it('rejects an unknown status with a clear error', async () => {
    const res = await server.fetch(`/api/scenarios?status=finished`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^query parameter status: /);
  });
});

describe('GET /api/scenarios/:id', () => {
  it('returns the text, its hash and located diagnostics', async () => {
    const doc = (await (await server.fetch(`/api/scenarios/broken-yaml`)).json()) as {
      content: string;
      diagnostics: { line: number; source: string }[];
    };
    expect(doc.content).toBe('id: broken-yaml\ntitle: [unclosed\n');
    expect(doc.diagnostics[0]).toMatchObject({ source: 'yaml' });
  });

  it('answers 404 in the error envelope for an unknown id', async () => {
    const res = await server.fetch(`/api/scenarios/no-such-scenario`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no scenario with id "no-such-scenario"' },
    });
  });
});

describe('changes made on disk', () => {
  const waitFor = (check: () => Promise<boolean>) =>
    expect.poll(check, { timeout: budget(10_000), message: 'the index did not catch up' }).toBe(true);

  it('indexes a file added, changed and removed outside Crucible, and announces each', async () => {
    const events: string[] = [];
    const listener = (e: { kind: string; id: string }) => events.push(`${e.kind}:${e.id}`);
    server.corpus.events.on('change', listener);
    const path = join(server.scenariosDir, 'honesty/consistency-from-git.yaml');
    writeFileSync(path, variant('consistency-from-git', 'honesty', 'consistency', { title: 'Added by git' }));
    await waitFor(async () => (await list('?q=added%20by%20git')).total === 1);
    writeFileSync(path, variant('consistency-from-git', 'honesty', 'consistency', { title: 'Changed by git' }));
    await waitFor(async () => (await list('?q=changed%20by%20git')).total === 1);
    rmSync(path);
    await waitFor(async () => (await list('?q=consistency-from-git')).total === 0);
    server.corpus.events.off('change', listener);
    expect(events).toEqual([
      'upsert:consistency-from-git',
      'upsert:consistency-from-git',
      'remove:consistency-from-git',
    ]);
  });

  it('streams changes to the studio over server-sent events', async () => {
    const controller = new AbortController();
    const res = await server.fetch(`/api/scenarios/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    mkdirSync(join(server.scenariosDir, 'safety'), { recursive: true });
    writeFileSync(
      join(server.scenariosDir, 'safety/privacy-protection-sse.yaml'),
      variant('privacy-protection-sse', 'safety', 'privacy-protection'),
    );
    let text = '';
    while (!text.includes('privacy-protection-sse')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toMatch(/event: change\ndata: \{"kind":"upsert","id":"privacy-protection-sse"/);
  });

  it('re-checks every scenario when the taxonomy changes', async () => {
    const taxonomyPath = join(server.scenariosDir, 'taxonomy.yaml');
    const original = readFileSync(taxonomyPath, 'utf8');
    writeFileSync(taxonomyPath, original.replace('- id: consistency\n', '- id: consistency-renamed\n'));
    await waitFor(async () => (await list('?behavior=consistency')).items.every((i) => i.errorCount > 0));
    writeFileSync(taxonomyPath, original);
    await waitFor(async () => (await list('?behavior=consistency')).items.every((i) => i.errorCount === 0));
  });
});
