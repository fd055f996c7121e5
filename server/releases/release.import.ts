import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TaxonomySchema, type Taxonomy } from '../../schema/taxonomy.ts';
import type { Db } from '../db/database.ts';
import type { PlannedBehaviour } from '../import/import.plan.ts';
import { writeTaxonomy } from '../import/import.writer.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { contentHash } from '../scenarios/scenario.row.ts';
import { createScenario, readScenario } from '../scenarios/scenario.store.ts';
import { loadYamlFile } from '../yaml/yaml-limits.ts';
import {
  CHECKSUMS_FILE,
  RELEASE_FORMAT,
  RELEASE_FORMAT_VERSION,
  sha256,
  type ReleaseManifest,
} from './release.build.ts';
import { recordRelease, ReleaseError } from './release.write.ts';

// `import release <folder>`: another instance's release into this one. Every file is checked
// against checksums.sha256 first (a changed or missing file is named, and nothing is written);
// behaviours the release's taxonomy has and this one lacks are added; every scenario file is
// checked against the taxonomy as it will be; then the scenario files are written byte for byte,
// so their content hashes are the release's. A scenario that exists here with the same text is
// unchanged; one that exists with another text is kept as it is and reported, never overwritten.

export interface ReleaseImportReport {
  name: string;
  version: number;
  behavioursAdded: string[];
  created: string[];
  unchanged: string[];
  kept: { id: string; reason: string }[];
  recorded: boolean;
}

export async function importRelease(db: Db, corpus: ScenarioCorpus, folder: string): Promise<ReleaseImportReport> {
  const root = resolve(folder);
  const files = verifiedFiles(root);
  const manifest = JSON.parse(files.get('release.json') ?? 'null') as ReleaseManifest | null;
  if (!manifest || manifest.format !== RELEASE_FORMAT)
    throw new ReleaseError(`${join(root, 'release.json')}: not a Crucible release manifest`);
  if (manifest.formatVersion !== RELEASE_FORMAT_VERSION)
    throw new ReleaseError(
      `${join(root, 'release.json')}: unknown release format version ${JSON.stringify(manifest.formatVersion)}; this Crucible reads version ${RELEASE_FORMAT_VERSION}`,
    );
  const theirs = TaxonomySchema.parse(loadYamlFile(files.get('taxonomy.yaml') ?? '', join(root, 'taxonomy.yaml')));
  const added = missingBehaviours(corpus.taxonomy, theirs);
  const taxonomy = mergedTaxonomy(corpus.taxonomy, added);
  const scenarioFiles = [...files.keys()].filter((p) => p.startsWith('scenarios/') && p.endsWith('.yaml')).sort();
  const listed = new Set(Object.keys(manifest.scenarios));
  for (const rel of scenarioFiles) {
    const text = files.get(rel)!;
    const id = rel
      .split('/')
      .pop()!
      .replace(/\.yaml$/, '');
    if (!listed.has(id) || manifest.scenarios[id] !== contentHash(text))
      throw new ReleaseError(`${join(root, rel)}: not the scenario release.json lists (id or content hash differs)`);
    const { scenario, diagnostics } = checkScenarioText(text, { taxonomy, fileId: id });
    const error = diagnostics.find((d) => d.severity === 'error');
    if (!scenario || error)
      throw new ReleaseError(
        `${join(root, rel)}:${error?.line ?? 1}:${error?.column ?? 1}: ${error?.message ?? 'not a scenario'}`,
      );
  }
  if (scenarioFiles.length !== listed.size)
    throw new ReleaseError(
      `${root}: release.json lists ${listed.size} scenarios, the folder holds ${scenarioFiles.length}`,
    );

  if (added.length) {
    writeTaxonomy(corpus.root, { behaviours: added });
    await corpus.reloadTaxonomy();
  }
  const report: ReleaseImportReport = {
    name: manifest.name,
    version: manifest.version,
    behavioursAdded: added.map((b) => `${b.category.id}/${b.behaviour.id}`),
    created: [],
    unchanged: [],
    kept: [],
    recorded: false,
  };
  for (const rel of scenarioFiles) {
    const text = files.get(rel)!;
    const id = rel
      .split('/')
      .pop()!
      .replace(/\.yaml$/, '');
    const existing = await readScenario(corpus, id);
    if (existing && contentHash(existing.content) === contentHash(text)) report.unchanged.push(id);
    else if (existing)
      report.kept.push({ id, reason: `${existing.ref.relPath} exists here with another text; it is not overwritten` });
    else {
      const written = await createScenario(corpus, text);
      if (!written.ok) throw new ReleaseError(`${join(root, rel)}: not written: ${written.message}`);
      report.created.push(id);
    }
  }
  if (!(await db.selectFrom('benchmark_release').select('name').where('name', '=', manifest.name).executeTakeFirst())) {
    await recordRelease(db, manifest, 'imported', root);
    report.recorded = true;
  }
  return report;
}

/** The release's files, each checked against checksums.sha256 (which must list every file it has). */
function verifiedFiles(root: string): Map<string, string> {
  const sums = join(root, CHECKSUMS_FILE);
  if (!existsSync(sums)) throw new ReleaseError(`${sums}: missing; a release folder holds its checksums`);
  const files = new Map<string, string>();
  readFileSync(sums, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!m || m[2]!.split('/').includes('..'))
        throw new ReleaseError(`${sums}:${i + 1}:1: not a "<sha256>  <path>" line`);
      const abs = join(root, m[2]!);
      if (!existsSync(abs)) throw new ReleaseError(`${abs}: listed in ${CHECKSUMS_FILE} but missing`);
      const text = readFileSync(abs, 'utf8');
      if (sha256(text) !== m[1])
        throw new ReleaseError(`${abs}: checksum mismatch (the file changed since the release was made)`);
      files.set(m[2]!, text);
    });
  return files;
}

function missingBehaviours(ours: Taxonomy, theirs: Taxonomy): PlannedBehaviour[] {
  const known = new Set(ours.categories.flatMap((c) => c.behaviours.map((b) => b.id)));
  return theirs.categories.flatMap((c) =>
    c.behaviours
      .filter((b) => !known.has(b.id))
      .map((b) => ({
        item: `taxonomy.yaml#${b.id}`,
        category: { id: c.id, name: c.name, description: c.description },
        behaviour: { id: b.id, name: b.name, description: b.description },
      })),
  );
}

function mergedTaxonomy(ours: Taxonomy, added: PlannedBehaviour[]): Taxonomy {
  const merged = structuredClone(ours);
  for (const a of added) {
    const category = merged.categories.find((c) => c.id === a.category.id);
    if (category) category.behaviours.push(a.behaviour);
    else merged.categories.push({ ...a.category, behaviours: [a.behaviour] });
  }
  return merged;
}
