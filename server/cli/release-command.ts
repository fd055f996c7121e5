import { importRelease } from '../releases/release.import.ts';
import { RELEASE_SCOPES, type ReleaseScope } from '../releases/release.scenarios.ts';
import { ReleaseError, writeRelease } from '../releases/release.write.ts';
import type { Services } from '../services.ts';

/** `release <name> [--scope validated|ready|all] [--out DIR]`: writes the release folder. Returns the exit code. */
export async function releaseCommand(
  services: Pick<Services, 'db' | 'corpus'>,
  name: string | undefined,
  options: { scope?: string; out?: string },
): Promise<number> {
  const scope = (options.scope ?? 'validated') as ReleaseScope;
  if (!name || !RELEASE_SCOPES.includes(scope)) {
    console.error(`crucible: release needs a name, and --scope is one of ${RELEASE_SCOPES.join(', ')}`);
    return 2;
  }
  try {
    const { path, manifest, files } = await writeRelease(services.db, services.corpus, {
      name,
      scope,
      outDir: options.out ?? 'releases',
    });
    console.log(
      `release ${manifest.name} version ${manifest.version} (${scope}): ${manifest.counts.scenarios} scenarios, ` +
        `${manifest.counts.judgeVersions} judge version(s), ${manifest.counts.leaderboardRuns} run(s); ${files} files in ${path}` +
        (manifest.previous ? `; changes against ${manifest.previous.name} in CHANGELOG.md` : ''),
    );
    return 0;
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    console.error(`crucible: ${e.message}`);
    return 1;
  }
}

/** `import release <folder>`: checks every checksum, then brings the scenarios and taxonomy in. */
export async function importReleaseCommand(services: Pick<Services, 'db' | 'corpus'>, folder: string): Promise<number> {
  try {
    const r = await importRelease(services.db, services.corpus, folder);
    const lines = [`release ${r.name} version ${r.version}${r.recorded ? '' : ' (recorded before)'}`];
    for (const b of r.behavioursAdded) lines.push(`  added behaviour ${b}`);
    for (const k of r.kept) lines.push(`  kept ${k.id}: ${k.reason}`);
    lines.push(
      `${r.created.length} scenario(s) created, ${r.unchanged.length} unchanged, ${r.kept.length} kept as they were`,
    );
    console.log(lines.join('\n'));
    return 0;
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    console.error(`crucible: ${e.message}\nnothing was imported`);
    return 1;
  }
}
