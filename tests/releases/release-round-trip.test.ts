import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, type ReleaseManifest } from '../../server/releases/release.build.ts';
import type { Changelog } from '../../server/releases/release.changelog.ts';
import type { Datasheet } from '../../server/releases/release.datasheet.ts';
import { writeRelease } from '../../server/releases/release.write.ts';
import { createRealismStudy, raterViaInvite, rateNext } from '../studies/study-fixtures.ts';
import { PROJECT_ROOT, startTestServer, type TestServer } from '../support/test-server.ts';
import { budget } from '../support/budget.ts';

// A benchmark release made with `npm run crucible -- release`, then imported into a second,
// fresh instance (its own server and SQLite file) with `npm run crucible -- import release`:
// every scenario keeps its content hash, the corpus statistics are the same, a release made there
// has the same JSONL byte for byte, a tampered file is refused, and the studio lists releases.

let a: TestServer;
let b: TestServer;
const out = mkdtempSync(join(tmpdir(), 'crucible-releases-'));
beforeAll(async () => {
  a = await startTestServer({ shippedCorpus: true });
  b = await startTestServer();
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  rmSync(out, { recursive: true, force: true });
});

function crucible(server: TestServer, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'server/cli/crucible.ts', ...args],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          CRUCIBLE_DB: server.services.config.databasePath,
          CRUCIBLE_SCENARIOS: server.scenariosDir,
          CRUCIBLE_MODELS: join(server.dir, 'none.yaml'),
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
const read = (path: string) => readFileSync(path, 'utf8');
const json = <T>(path: string) => JSON.parse(read(path)) as T;
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)).map((f) => `${n}/${f}`) : [n],
  );
}
async function indexedHashes(server: TestServer): Promise<Record<string, string>> {
  const rows = await server.db
    .selectFrom('scenario')
    .select(['id', 'content_hash'])
    .where('status', '!=', 'retired')
    .where('error_count', '=', 0)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.content_hash]));
}
const counts = (d: Datasheet) => ({
  scenarios: d.scenarios,
  categories: d.categories,
  difficulty: d.difficulty,
  provenance: d.provenance,
  realism: d.realism,
});

describe('npm run crucible -- release, then import release into a fresh instance', () => {
  it(
    'writes a self-describing release: every file checksummed, one JSONL line an Inspect sample, the datasheet and changelog',
    { timeout: budget(240_000) },
    async () => {
      const made = await crucible(a, ['release', 'v1', '--scope', 'all', '--out', out]);
      expect(made.stderr).not.toMatch(/Error/);
      expect(made.code).toBe(0);
      expect(made.stdout).toMatch(/^release v1 version 1 \(all\): \d+ scenarios/);
      const dir = join(out, 'v1');
      const manifest = json<ReleaseManifest>(join(dir, 'release.json'));
      const corpus = await indexedHashes(a);
      expect(manifest.scenarios).toEqual(corpus);
      expect(manifest).toMatchObject({
        format: 'crucible-release',
        formatVersion: 1,
        version: 1,
        scope: 'all',
        previous: null,
      });

      // checksums.sha256 lists every other file with its sha256, in sha256sum's format.
      const listed = read(join(dir, 'checksums.sha256'))
        .trim()
        .split('\n')
        .map((l) => l.split('  ') as [string, string]);
      expect(listed.map(([, p]) => p).sort()).toEqual(
        filesUnder(dir)
          .filter((f) => f !== 'checksums.sha256')
          .sort(),
      );
      for (const [sum, p] of listed) expect(sha256(read(join(dir, p))), p).toBe(sum);

      const lines = read(join(dir, 'scenarios.jsonl'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, never>);
      expect(lines.map((l) => l.id).sort()).toEqual(Object.keys(corpus).sort());
      const first = lines[0] as unknown as {
        id: string;
        input: { role: string; content: string }[];
        target: string[];
        metadata: {
          content_hash: string;
          scenario: { judge: { pass_criteria: string[] }; turns: { content: string }[] };
        };
      };
      expect(first.input.at(-1)).toEqual({ role: 'user', content: first.metadata.scenario.turns[0]!.content });
      expect(first.target).toEqual(first.metadata.scenario.judge.pass_criteria);
      expect(first.metadata.content_hash).toBe(corpus[first.id]);

      const datasheet = json<Datasheet>(join(dir, 'datasheet.json'));
      const byCategory = await a.db
        .selectFrom('scenario')
        .select(['category'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'retired')
        .where('error_count', '=', 0)
        .groupBy('category')
        .execute();
      for (const row of byCategory)
        expect(datasheet.categories.find((c) => c.id === row.category)?.scenarios, row.category).toBe(Number(row.n));
      expect(datasheet.provenance).toEqual({ 'hand-written': datasheet.scenarios });
      expect(datasheet.realism.unrated).toBe(datasheet.scenarios);
      expect(read(join(dir, 'datasheet.md'))).toMatch(/^# Datasheet: v1 \(version 1\)/);
      expect(json<Changelog>(join(dir, 'changelog.json')).added).toHaveLength(Object.keys(corpus).length);
      for (const f of ['taxonomy.yaml', 'realism.json', 'judges.json', 'leaderboard.json', 'CHANGELOG.md'])
        expect(filesUnder(dir)).toContain(f);
      const refused = await crucible(a, ['release', 'v1', '--scope', 'all', '--out', out]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/a release named "v1" exists already/);
    },
  );

  it('the next release lists what changed and what was retired since the previous one', async () => {
    const [changedId, removedId] = Object.keys(await indexedHashes(a)).sort();
    const rows = await a.db
      .selectFrom('scenario')
      .select(['id', 'rel_path'])
      .where('id', 'in', [changedId!, removedId!])
      .execute();
    const path = (id: string) => join(a.scenariosDir, rows.find((r) => r.id === id)!.rel_path);
    writeFileSync(path(changedId!), read(path(changedId!)).replace(/^title: .*$/m, 'title: A retitled scenario'));
    await a.corpus.reindexFile(path(changedId!));
    unlinkSync(path(removedId!));
    await a.corpus.reindexFile(path(removedId!));
    const v2 = await writeRelease(a.db, a.corpus, { name: 'v2', scope: 'all', outDir: out });
    expect(v2.manifest.version).toBe(2);
    const changelog = json<Changelog>(join(out, 'v2', 'changelog.json'));
    expect(changelog.previous).toEqual({ name: 'v1', version: 1 });
    expect(changelog.added).toEqual([]);
    expect(changelog.changed.map((c) => c.id)).toEqual([changedId]);
    expect(changelog.retired).toEqual([removedId]);
  });

  it(
    'imports into a fresh instance with identical content hashes and statistics; again changes nothing',
    { timeout: budget(240_000) },
    async () => {
      const dir = join(out, 'v2');
      const manifest = json<ReleaseManifest>(join(dir, 'release.json'));
      const done = await crucible(b, ['import', 'release', dir]);
      expect(done.stderr).not.toMatch(/Error/);
      expect(done.code).toBe(0);
      expect(done.stdout).toContain(`${Object.keys(manifest.scenarios).length} scenario(s) created, 0 unchanged`);
      await b.corpus.indexAll();
      expect(await indexedHashes(b)).toEqual(manifest.scenarios);

      const copy = await writeRelease(b.db, b.corpus, { name: 'v2-copy', scope: 'all', outDir: out });
      expect(read(join(out, 'v2-copy', 'scenarios.jsonl'))).toBe(read(join(dir, 'scenarios.jsonl')));
      expect(counts(json<Datasheet>(join(out, 'v2-copy', 'datasheet.json')))).toEqual(
        counts(json<Datasheet>(join(dir, 'datasheet.json'))),
      );
      expect(read(join(out, 'v2-copy', 'realism.json'))).toBe(read(join(dir, 'realism.json')));
      // Its predecessor is the imported release, and nothing changed against it.
      expect(copy.manifest.version).toBe(3);
      expect(json<Changelog>(join(out, 'v2-copy', 'changelog.json'))).toMatchObject({
        previous: { name: 'v2', version: 2 },
        added: [],
        changed: [],
        retired: [],
      });

      const again = await crucible(b, ['import', 'release', dir]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^release v2 version 2 \(recorded before\)$/m);
      expect(again.stdout).toContain(`0 scenario(s) created, ${Object.keys(manifest.scenarios).length} unchanged`);
    },
  );

  it(
    'refuses a release whose file changed since it was made, naming the file, and writes nothing',
    { timeout: budget(240_000) },
    async () => {
      const tampered = join(out, 'tampered');
      cpSync(join(out, 'v1'), tampered, { recursive: true });
      const victim = filesUnder(tampered).find((f) => f.startsWith('scenarios/') && f.endsWith('.yaml'))!;
      writeFileSync(join(tampered, victim), `${read(join(tampered, victim))}\n# edited\n`);
      const before = await indexedHashes(b);
      const taxonomy = read(join(b.scenariosDir, 'taxonomy.yaml'));
      const refused = await crucible(b, ['import', 'release', tampered]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${join(tampered, victim)}: checksum mismatch`);
      expect(refused.stderr).toMatch(/nothing was imported/);
      expect(await indexedHashes(b)).toEqual(before);
      expect(read(join(b.scenariosDir, 'taxonomy.yaml'))).toBe(taxonomy);
      expect(relative(out, tampered)).toBe('tampered');
    },
  );

  it("--scope validated ships the scenarios meeting a realism study's rule, with their ratings", async () => {
    const id = Object.keys(await indexedHashes(a)).find((x) => x.startsWith('sycophancy-'))!;
    const study = await createRealismStudy(a, { filter: { q: id }, ratersPerItem: 2, minRatings: 2, minMean: 3 });
    expect(await rateNext(a, await raterViaInvite(a, study, 'Ada'), study, 5)).toBe(id);
    expect(await rateNext(a, await raterViaInvite(a, study, 'Bo'), study, 4)).toBe(id);
    const made = await writeRelease(a.db, a.corpus, { name: 'v3-validated', scope: 'validated', outDir: out });
    expect(Object.keys(made.manifest.scenarios)).toEqual([id]);
    const dir = join(out, 'v3-validated');
    expect(json<unknown[]>(join(dir, 'realism.json'))).toEqual([
      {
        id,
        contentHash: made.manifest.scenarios[id],
        ratings: 2,
        mean: 4.5,
        histogram: [0, 0, 0, 1, 1],
        validated: true,
      },
    ]);
    expect(json<Datasheet>(join(dir, 'datasheet.json')).realism).toEqual({
      rated: 1,
      unrated: 0,
      validated: 1,
      meanOfMeans: 4.5,
    });
    // Against v2 everything else left the release: it is out of the scope.
    const changelog = json<Changelog>(join(dir, 'changelog.json'));
    expect(changelog).toMatchObject({ previous: { name: 'v2', version: 2 }, added: [], changed: [] });
    expect(changelog.retired).toHaveLength(
      Object.keys(json<ReleaseManifest>(join(out, 'v2', 'release.json')).scenarios).length - 1,
    );
  });

  it('GET /api/releases lists the releases made and imported, for authors and admins only', async () => {
    const res = await b.fetch('/api/releases');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { releases: { name: string; version: number; origin: string }[] };
    expect(body.releases.map((r) => [r.name, r.version, r.origin])).toEqual([
      ['v2-copy', 3, 'made'],
      ['v2', 2, 'imported'],
    ]);
    const rater = await b.signIn('rater');
    expect((await rater.fetch('/api/releases')).status).toBe(403);
    const author = await b.signIn('author');
    expect((await author.fetch('/api/releases')).status).toBe(200);
  });
});
