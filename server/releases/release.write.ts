import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../db/database.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { buildRelease, type PreviousRelease, type ReleaseManifest } from './release.build.ts';
import type { ReleaseScope } from './release.scenarios.ts';

/** A release that cannot be made or read, with what is wrong (and where, for a file). */
export class ReleaseError extends Error {}

export const RELEASE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The latest release this instance made or imported: the next one's predecessor. */
export async function previousRelease(db: Db): Promise<PreviousRelease | null> {
  const row = await db
    .selectFrom('benchmark_release')
    .select(['name', 'version', 'manifest'])
    .orderBy('version', 'desc')
    .orderBy('recorded_at', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  const manifest = JSON.parse(row.manifest) as ReleaseManifest;
  return { name: row.name, version: row.version, scenarios: manifest.scenarios };
}

/** Writes release `name` to `<outDir>/<name>/` and records it; refuses a name already used. */
export async function writeRelease(
  db: Db,
  corpus: ScenarioCorpus,
  opts: { name: string; scope: ReleaseScope; outDir: string },
): Promise<{ path: string; manifest: ReleaseManifest; files: number }> {
  if (!RELEASE_NAME.test(opts.name))
    throw new ReleaseError(
      `release name "${opts.name}": letters, digits, . _ - (at most 64), starting with a letter or digit`,
    );
  const path = resolve(opts.outDir, opts.name);
  if (await db.selectFrom('benchmark_release').select('name').where('name', '=', opts.name).executeTakeFirst())
    throw new ReleaseError(`a release named "${opts.name}" exists already; releases are never overwritten`);
  if (existsSync(path)) throw new ReleaseError(`${path} exists already; releases are never overwritten`);
  const { files, manifest } = await buildRelease(db, corpus, {
    name: opts.name,
    scope: opts.scope,
    previous: await previousRelease(db),
  });
  for (const [rel, text] of files) {
    const abs = join(path, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  await recordRelease(db, manifest, 'made', path);
  return { path, manifest, files: files.size };
}

export async function recordRelease(
  db: Db,
  manifest: ReleaseManifest,
  origin: 'made' | 'imported',
  path: string,
): Promise<void> {
  await db
    .insertInto('benchmark_release')
    .values({
      name: manifest.name,
      version: manifest.version,
      origin,
      scope: manifest.scope,
      path,
      manifest: JSON.stringify(manifest),
      created_at: manifest.createdAt,
      recorded_at: new Date().toISOString(),
    })
    .execute();
}
