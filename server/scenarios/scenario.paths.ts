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

/** Lists every `*.yaml` scenario file under root, one folder deep (root/<category>/<id>.yaml), sorted. */
export function listScenarioFiles(root: string): ScenarioFileRef[] {
  const out: ScenarioFileRef[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory() && depth < 1) walk(abs, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.yaml') && !(depth === 0 && entry.name === TAXONOMY_FILE)) {
        out.push(refOf(root, abs));
      }
    }
  };
  walk(root, 0);
  return out.sort((a, b) => a.relPath.localeCompare(b.relPath));
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
