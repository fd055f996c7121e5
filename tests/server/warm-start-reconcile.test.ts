import { mkdtempSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate-corpus.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ScenarioCorpus } from '../../server/scenarios/scenario.corpus.ts';
import { budget } from '../support/budget.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';

// A warm start (issue 20 point 7) serves before it has compared the files with the index: the
// comparison runs while serving (services.reconcileScenarios). Files removed, changed and added
// while the server was down must not show through: a list page whose rows' files changed waits
// for the comparison, and every other request that reads the index waits for it.

const FILES = 1_500;
const dir = mkdtempSync(join(tmpdir(), 'crucible-warm-'));
const scenariosDir = join(dir, 'scenarios');
let server: TestServer;
type Page = { total: number; items: { id: string; relPath: string; title: string; status: string }[] };
type Scope = { scenarios: number; variants: number };

beforeAll(async () => {
  // The index of an earlier start.
  generateCorpus(scenariosDir, FILES, PROJECT_ROOT);
  const database = await createTestDatabase(dir);
  const db = openDatabase(database.url);
  await migrateToLatest(db);
  await new ScenarioCorpus(db, scenariosDir).indexAll();
  await db.destroy();
}, budget(120_000));

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a warm start reconciling while it serves', () => {
  it(
    'lists no file removed or changed while it was down, and holds other index readers until the comparison is done',
    async () => {
      server = await startTestServer({ dir, reconcileWhileServing: true });
      const before = (await (await server.fetch('/api/scenarios?limit=100')).json()) as Page;
      expect(before.total).toBe(FILES);
      const scopeBefore = (await (await server.fetch('/api/scenarios/run-scope?scope=all')).json()) as Scope;
      // Both on the first page; the removed one counts in a run's scope (not retired).
      const removed = before.items.find((i) => i.status !== 'retired')!;
      const changed = before.items.find((i) => i.id !== removed.id)!;

      // While the server was "down" (before it compares): one file removed, one retitled, two added (drafts).
      unlinkSync(join(scenariosDir, removed.relPath));
      const changedPath = join(scenariosDir, changed.relPath);
      writeFileSync(changedPath, readFileSync(changedPath, 'utf8').replace(/^title: .*$/m, 'title: Retitled on disk'));
      const added = ['added-while-down-1', 'added-while-down-2'];
      for (const id of added) {
        writeFileSync(
          join(scenariosDir, changed.relPath.split('/')[0]!, `${id}.yaml`),
          readFileSync(changedPath, 'utf8')
            .replace(/^id: .*$/m, `id: ${id}`)
            .replace(/^status: .*$/m, 'status: draft'),
        );
      }

      const done = server.services.reconcileScenarios();
      expect(server.corpus.reconciling).toBe(true);
      const [page, scope] = await Promise.all([
        server.fetch('/api/scenarios?limit=100').then((r) => r.json() as Promise<Page>),
        server.fetch('/api/scenarios/run-scope?scope=all').then((r) => r.json() as Promise<Scope>),
      ]);
      await done;
      expect(server.corpus.reconciling).toBe(false);

      // The page's rows included a removed file: it waited for the comparison rather than list it.
      expect(page.items.map((i) => i.id)).not.toContain(removed.id);
      expect(page.items.find((i) => i.id === changed.id)?.title).toBe('Retitled on disk');
      expect(page.total).toBe(FILES + 1);
      // Another reader of the index was held until the comparison was done: one removed, two added.
      expect(scope.scenarios).toBe(scopeBefore.scenarios + 1);
      const found = (await (await server.fetch('/api/scenarios?limit=10&q=added-while-down')).json()) as Page;
      expect(found.items.map((i) => i.id).sort()).toEqual(added);
    },
    budget(60_000),
  );

  it('checks the rows of a page against their files: present, with the same size and mtime', async () => {
    // On the server of the test above, its index now current.
    const current = (await (await server.fetch('/api/scenarios?limit=100')).json()) as Page;
    expect(await server.corpus.rowsAreCurrent(current.items.map((i) => i.relPath))).toBe(true);
    // A file of the page removed: its rows are no longer current.
    unlinkSync(join(scenariosDir, current.items[5]!.relPath));
    expect(await server.corpus.rowsAreCurrent(current.items.map((i) => i.relPath))).toBe(false);
    // A file of the page touched (same text, new mtime): not current either (the comparison re-stamps it).
    const touched = join(scenariosDir, current.items[6]!.relPath);
    writeFileSync(touched, readFileSync(touched, 'utf8'));
    expect(await server.corpus.rowsAreCurrent([current.items[6]!.relPath])).toBe(false);
    expect(await server.corpus.rowsAreCurrent([current.items[7]!.relPath])).toBe(true);
  });
});
