import { readFileSync } from 'node:fs';
import type { Scenario } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { contentHash } from '../scenarios/scenario.row.ts';
import { readScenario } from '../scenarios/scenario.store.ts';
import { raterViewHash } from './rater-view.ts';

// A rater's every next-task shows a scenario, and every submit asks whether it has variables. The
// file on disk stays the truth (it is read each time, a few kilobytes), but parsing and checking it,
// the most expensive part of a rater's request, is done once per version of its text: by content
// hash, for the taxonomy it was checked against.

/** A scenario file as a rater request needs it. */
export interface RaterScenarioFile {
  absPath: string;
  content: string;
  hash: string;
  /** The checked scenario (null: the file does not validate). */
  scenario: Scenario | null;
  /** What a rater sees of this version, hashed (rater-view.ts). */
  viewHash: string;
  /** The scenario declares variables: a rating records which variant its rater was shown. */
  hasVariables: boolean;
}

type Parsed = Omit<RaterScenarioFile, 'absPath' | 'content' | 'hash'>;

/** Versions kept per taxonomy: several times a large study's scenarios, a few MB at most. */
const MAX_VERSIONS = 2000;
const parsedByTaxonomy = new WeakMap<Taxonomy, Map<string, Parsed>>();
const pathById = new WeakMap<ScenarioCorpus, Map<string, string>>();

function parsedVersion(taxonomy: Taxonomy, content: string, hash: string): Parsed {
  let versions = parsedByTaxonomy.get(taxonomy);
  if (!versions) parsedByTaxonomy.set(taxonomy, (versions = new Map()));
  const known = versions.get(hash);
  if (known) return known;
  const { scenario } = checkScenarioText(content, { taxonomy });
  const parsed = {
    scenario,
    viewHash: raterViewHash(content, scenario),
    hasVariables: /^variables\s*:/m.test(content),
  };
  // Oldest first out: a Map iterates in insertion order.
  if (versions.size >= MAX_VERSIONS) versions.delete(versions.keys().next().value!);
  versions.set(hash, parsed);
  return parsed;
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Scenario `id` as it is on disk now, checked (from the cache when this text was seen before), or
 * null when there is no such file. The file's path is remembered; a file that moved is looked up
 * again through the index.
 */
export async function readRaterScenario(corpus: ScenarioCorpus, id: string): Promise<RaterScenarioFile | null> {
  let paths = pathById.get(corpus);
  if (!paths) pathById.set(corpus, (paths = new Map()));
  let absPath = paths.get(id);
  let content = absPath ? readIfExists(absPath) : null;
  if (content === null) {
    const loaded = await readScenario(corpus, id);
    if (!loaded) {
      paths.delete(id);
      return null;
    }
    absPath = loaded.ref.absPath;
    content = loaded.content;
    paths.set(id, absPath);
  }
  const hash = contentHash(content);
  return { absPath: absPath!, content, hash, ...parsedVersion(corpus.taxonomy, content, hash) };
}

/**
 * Whether the rated version of scenario `id` (its content hash) declares variables: known without
 * reading the file when this process parsed that version (the rater's next task did, as a rule);
 * otherwise from the file as it is now.
 */
export async function ratedVersionHasVariables(corpus: ScenarioCorpus, id: string, hash: string): Promise<boolean> {
  return (
    parsedByTaxonomy.get(corpus.taxonomy)?.get(hash)?.hasVariables ??
    (await readRaterScenario(corpus, id))?.hasVariables ??
    false
  );
}
