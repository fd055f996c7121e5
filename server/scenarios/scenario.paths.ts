import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ScenarioIdSchema } from '../../schema/scenario.ts';
import { TAXONOMY_FILE } from '../taxonomy/taxonomy.load.ts';

/** One scenario file found on disk: `<root>/<folder>/<id>.yaml`. */
export interface ScenarioFileRef {
  id: string;
  /** The category folder (empty for a file at the root). */
  folder: string;
  /** Absolute path. */
  absPath: string;
  /** Path relative to the scenarios root, with forward slashes: what the API and the CLI show. */
  relPath: string;
}

/**
 * Lists every `*.yaml` scenario file under root, one folder deep (root/<category>/<id>.yaml),
 * sorted (the indexer asks for them unsorted: a locale-aware sort of 100,000 paths takes seconds).
 */
export function listScenarioFiles(root: string, opts: { sorted?: boolean } = {}): ScenarioFileRef[] {
  const out = [...scenarioFilesByFolder(root)].flat();
  return opts.sorted === false ? out : out.sort((a, b) => a.relPath.localeCompare(b.relPath));
}

/**
 * The scenario files under root, one folder at a time (the files at the root first, then each
 * category folder's), unsorted: a caller that must not hold the thread for the whole listing (the
 * start-up reconciliation) can yield between folders.
 */
export function* scenarioFilesByFolder(root: string): Generator<ScenarioFileRef[]> {
  // Paths joined by hand, not with path.relative/join per file: at 100,000 files those took
  // half a second of a warm start (issue 20 point 7).
  const folders: string[] = [];
  const atRoot: ScenarioFileRef[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith('.')) continue;
    if (entry.isDirectory()) folders.push(name);
    else if (entry.isFile() && name.endsWith('.yaml') && name !== TAXONOMY_FILE) {
      atRoot.push({ id: name.slice(0, -'.yaml'.length), folder: '', absPath: join(root, name), relPath: name });
    }
  }
  yield atRoot;
  for (const folder of folders) {
    const dir = join(root, folder);
    const files: ScenarioFileRef[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      if (name.startsWith('.') || !entry.isFile() || !name.endsWith('.yaml')) continue;
      files.push({
        id: name.slice(0, -'.yaml'.length),
        folder,
        absPath: `${dir}${sep}${name}`,
        relPath: `${folder}/${name}`,
      });
    }
    yield files;
  }
}

export function refOf(root: string, absPath: string): ScenarioFileRef {
  const relPath = relative(root, absPath).split(sep).join('/');
  const parts = relPath.split('/');
  const name = parts[parts.length - 1]!;
  return { id: name.slice(0, -'.yaml'.length), folder: parts.length > 1 ? parts[0]! : '', absPath, relPath };
}

/**
 * The path a scenario with this id and category is stored at. Both parts are checked against the
 * id grammar (no dots, slashes or NULs) and the result is checked to stay inside root, so no
 * request can reach outside the scenarios folder.
 */
export function scenarioPathFor(root: string, category: string, id: string): ScenarioFileRef {
  for (const part of [category, id]) {
    if (!ScenarioIdSchema.safeParse(part).success) throw new Error(`unsafe path segment ${JSON.stringify(part)}`);
  }
  const absRoot = resolve(root);
  const absPath = resolve(absRoot, category, `${id}.yaml`);
  if (!absPath.startsWith(absRoot + sep)) throw new Error(`path escapes the scenarios folder: ${absPath}`);
  return refOf(absRoot, absPath);
}
