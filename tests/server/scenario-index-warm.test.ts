import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validScenarioText } from '../support/scenario-fixtures.ts';
import { budget } from '../support/budget.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A warm start (issue 20 point 7): files whose size and mtime are what the index holds are not
// read; a file touched without a change of text is hashed, not parsed again, and only its stamp
// is updated; the folders are watched one inotify watch per folder, new category folders included.
// A cold index reads and parses on worker threads: the rows must be the same.

// Without the watcher: it would race these tests' own indexAll calls to each change.
let server: TestServer;
let watched: TestServer;
beforeAll(async () => {
  watched = await startTestServer({
    watch: true,
    files: { 'honesty/warm-watched.yaml': validScenarioText('warm-watched') },
  });
  server = await startTestServer({
    files: {
      'honesty/warm-one.yaml': validScenarioText('warm-one'),
      'honesty/warm-two.yaml': validScenarioText('warm-two'),
    },
  });
});
afterAll(async () => {
  await server?.close();
  await watched?.close();
});

const rowOf = (relPath: string) =>
  server.db.selectFrom('scenario').selectAll().where('rel_path', '=', relPath).executeTakeFirstOrThrow();

describe('indexing a corpus that is already indexed', () => {
  it('reads nothing when nothing changed', async () => {
    expect(await server.corpus.indexAll()).toMatchObject({ files: 2, indexed: 0, unchanged: 2, removed: 0 });
  });

  it('re-stamps a touched file whose text is unchanged, without indexing it again', async () => {
    const path = join(server.scenariosDir, 'honesty/warm-one.yaml');
    const before = await rowOf('honesty/warm-one.yaml');
    const later = new Date(Date.now() + 60_000);
    utimesSync(path, later, later);
    const report = await server.corpus.indexAll();
    expect(report).toMatchObject({ indexed: 0, unchanged: 2 });
    const after = await rowOf('honesty/warm-one.yaml');
    expect(after.mtime_ms).not.toBe(before.mtime_ms);
    expect(after.indexed_at).toBe(before.indexed_at); // not parsed and written again
    // The new stamp is kept: the next start does not even read the file.
    expect(await server.corpus.indexAll()).toMatchObject({ indexed: 0 });
  });

  it('indexes a file whose text changed', async () => {
    const path = join(server.scenariosDir, 'honesty/warm-two.yaml');
    const text = readFileSync(path, 'utf8');
    const retitled = text.replace(/^title: .*$/m, 'title: Warm two, retitled');
    writeFileSync(path, retitled);
    const report = await server.corpus.indexAll();
    expect(report.indexed).toBe(1);
    expect((await rowOf('honesty/warm-two.yaml')).title).toBe('Warm two, retitled');
  });

  it('indexes on worker threads exactly what it indexes on this one', async () => {
    const rows = async () =>
      (await server.db.selectFrom('scenario').selectAll().orderBy('rel_path').execute()).map(
        ({ indexed_at: _at, ...row }) => row,
      );
    const inThread = await server.corpus.indexAll({ force: true, workers: 0 });
    expect(inThread.cpu.workersMs).toEqual([]);
    const before = await rows();
    const onWorkers = await server.corpus.indexAll({ force: true, workers: 2 });
    expect(onWorkers).toMatchObject({ files: inThread.files, indexed: inThread.indexed });
    expect(onWorkers.cpu.workersMs).toHaveLength(2);
    expect(await rows()).toEqual(before);
  });

  it('sees a category folder made after the start, and the files written into it', async () => {
    mkdirSync(join(watched.scenariosDir, 'corrigibility'));
    writeFileSync(
      join(watched.scenariosDir, 'corrigibility/warm-late.yaml'),
      validScenarioText('warm-late').replace(/^category: .*$/m, 'category: corrigibility'),
    );
    const idOf = async (id: string) =>
      (await watched.db.selectFrom('scenario').select('id').where('id', '=', id).executeTakeFirst())?.id;
    await expect.poll(() => idOf('warm-late'), { timeout: budget(10_000) }).toBe('warm-late');
    // Files in folders watched from the start are seen too.
    writeFileSync(join(watched.scenariosDir, 'honesty/warm-added.yaml'), validScenarioText('warm-added'));
    await expect.poll(() => idOf('warm-added'), { timeout: budget(10_000) }).toBe('warm-added');
  });
});
