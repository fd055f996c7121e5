import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelsFileSchema } from '../../schema/models.ts';
import { leanFetch } from '../../server/models/lean-fetch.ts';
import { ModelRegistry } from '../../server/models/model.registry.ts';
import type { ModelsConfig } from '../../server/models/models.config.ts';
import { budget } from '../support/budget.ts';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { PROJECT_ROOT, startTestServer } from '../support/test-server.ts';

// Issue 20 point 2, the start-up cost of small runs: a server builds what a first run would build
// in its first model calls once it listens (run-engine-warm-up.ts), and the model registry keeps
// the provider clients it makes, so a run's items take the one made then instead of making their
// own (a run resolved its target and judge for every item).

const dir = mkdtempSync(join(tmpdir(), 'crucible-warm-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A registry over two models on one provider whose key is read from `env` at each resolve. */
function registry(env: Record<string, string | undefined>): ModelRegistry {
  const file = ModelsFileSchema.parse({
    providers: [
      { id: 'keyed', kind: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key_env: 'WARM_KEY' },
      { id: 'unkeyed', kind: 'anthropic', base_url: 'http://127.0.0.1:9/v1', api_key_env: 'MISSING_KEY' },
    ],
    models: [
      { id: 'target', provider: 'keyed', model: 'gpt-x' },
      { id: 'judge', provider: 'keyed', model: 'gpt-y' },
      { id: 'unready', provider: 'unkeyed', model: 'claude-x' },
    ],
  });
  const config: ModelsConfig = {
    file,
    path: null,
    secret: (name) => env[name],
    secretValues: () => [],
  };
  return new ModelRegistry(config);
}

/** Whether Node has loaded its fetch classes (undici), in a fresh process that first runs `before`. */
async function fetchClassesLoadedAfter(before: string): Promise<{ atStart: boolean; after: boolean }> {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(
    file,
    [
      `import { ModelRegistry } from ${JSON.stringify(join(PROJECT_ROOT, 'server/models/model.registry.ts'))};`,
      `import { warmUpRunEngine } from ${JSON.stringify(join(PROJECT_ROOT, 'server/runs/run-engine-warm-up.ts'))};`,
      `import { ModelsFileSchema } from ${JSON.stringify(join(PROJECT_ROOT, 'schema/models.ts'))};`,
      "const loaded = () => process.moduleLoadList.includes('NativeModule internal/deps/undici/undici');",
      'const atStart = loaded();',
      'const models = new ModelRegistry({ file: ModelsFileSchema.parse({}), path: null, secret: () => undefined, secretValues: () => [] });',
      before,
      'console.log(JSON.stringify({ atStart, after: loaded(), models: typeof models, warm: typeof warmUpRunEngine }));',
    ].join('\n'),
  );
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: PROJECT_ROOT });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { atStart: boolean; after: boolean };
}

describe("the run engine's warm-up", () => {
  it(
    "loads Node's fetch classes, which the provider calls of a run use and Node loads at their first use",
    async () => {
      // Loading the server's run and model code does not load them: the first call would.
      expect(await fetchClassesLoadedAfter('')).toMatchObject({ atStart: false, after: false });
      expect(await fetchClassesLoadedAfter('await warmUpRunEngine(models, {});')).toMatchObject({
        atStart: false,
        after: true,
      });
    },
    budget(60_000),
  );

  it('makes the clients of the models that can be called, and skips the others', async () => {
    const { warmUpRunEngine } = await import('../../server/runs/run-engine-warm-up.ts');
    const models = registry({ WARM_KEY: 'sk-warm' });
    expect((await warmUpRunEngine(models, { fetch: leanFetch })).clients).toEqual(['target', 'judge']);
    const target = models.resolve('target', { fetch: leanFetch });
    expect(target.ok && target.model.config.model).toBe('gpt-x');
    expect(models.resolve('unready', { fetch: leanFetch })).toMatchObject({ ok: false });
  });

  it('checks the indexed scenario without errors that has the most tools, and skips a file gone since it was indexed', async () => {
    const withoutTools = (id: string) =>
      validScenarioText(id)
        .replace(/^tools:[\s\S]*?^turns:/m, 'turns:')
        .replace(/^ {2}red_flags:[\s\S]*?^ {2}anchors:/m, '  anchors:');
    const server = await startTestServer({
      files: {
        'honesty/a-plain.yaml': withoutTools('a-plain'),
        // As many tools and turns as the next, and first by path: chosen if errors were not ruled out.
        // A corpus error (its id is not its file name): schema-valid, so its tools and turns are counted.
        'honesty/b-broken.yaml': validScenarioText('b-broken-id-not-file-name'),
        'honesty/c-tooled.yaml': validScenarioText('c-tooled'),
      },
    });
    try {
      const rows = await server.services.db
        .selectFrom('scenario')
        .select(['id', 'tool_count', 'error_count'])
        .execute();
      expect(rows.find((r) => r.id === 'a-plain')).toMatchObject({ tool_count: 0, error_count: 0 });
      expect(rows.find((r) => r.id === 'b-broken')!.error_count).toBeGreaterThan(0);
      expect(rows.find((r) => r.id === 'c-tooled')!.tool_count).toBeGreaterThan(0);
      expect((await server.services.runs.warmUp()).scenario).toBe('honesty/c-tooled.yaml');
      unlinkSync(join(server.scenariosDir, 'honesty/c-tooled.yaml'));
      expect((await server.services.runs.warmUp()).scenario).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe('the model registry', () => {
  it('keeps the client it made for a model and transport, and makes a new one when the key changes', () => {
    const env: Record<string, string | undefined> = { WARM_KEY: 'sk-first' };
    const models = registry(env);
    const transport = { fetch: leanFetch };
    const first = models.resolve('target', transport);
    const again = models.resolve('target', transport);
    if (!first.ok || !again.ok) throw new Error('the model should resolve');
    expect(again.model).toBe(first.model);
    expect(again.model.model).toBe(first.model.model);
    // Another model, or the same model over another transport, has a client of its own.
    const judge = models.resolve('judge', transport);
    const otherTransport = models.resolve('target', {});
    expect(judge.ok && judge.model.model).not.toBe(first.model.model);
    expect(otherTransport.ok && otherTransport.model.model).not.toBe(first.model.model);
    // A changed key is never sent with the old client: a new one is made with it.
    env.WARM_KEY = 'sk-second';
    const rekeyed = models.resolve('target', transport);
    expect(rekeyed.ok && rekeyed.model.model).not.toBe(first.model.model);
    expect(models.resolve('target', transport)).toEqual(rekeyed);
    // A key that goes away makes the model unready, as before.
    env.WARM_KEY = undefined;
    expect(models.resolve('target', transport)).toMatchObject({ ok: false });
  });
});
