import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { loadYamlFast } from '../yaml/yaml-limits.ts';
import { modelFacingText } from './model-facing-text.ts';
import { NearDuplicateIndex, signatureOfText } from './near-duplicates.ts';

/**
 * The corpus's MinHash signatures, kept for the life of the server and brought up to date from the
 * scenario index before each use: only files whose content hash changed are read again, so the
 * first job over a 10,000-scenario corpus reads every file and later ones almost none.
 */
export class CorpusSignatures {
  private readonly cache = new Map<string, { hash: string; id: string; signature: Uint32Array }>();

  constructor(private readonly corpus: ScenarioCorpus) {}

  /** An index of every scenario file (retired ones too: a copy of a retired scenario is still a copy). */
  async index(): Promise<NearDuplicateIndex> {
    const rows = await this.corpus.db.selectFrom('scenario').select(['rel_path', 'id', 'content_hash']).execute();
    const present = new Set<string>();
    const index = new NearDuplicateIndex();
    for (const row of rows) {
      present.add(row.rel_path);
      let entry = this.cache.get(row.rel_path);
      if (!entry || entry.hash !== row.content_hash) {
        entry = { hash: row.content_hash, id: row.id, signature: this.read(row.rel_path) };
        this.cache.set(row.rel_path, entry);
      }
      index.add(entry.id, entry.signature);
    }
    for (const key of this.cache.keys()) if (!present.has(key)) this.cache.delete(key);
    return index;
  }

  private read(relPath: string): Uint32Array {
    let value: unknown;
    try {
      value = loadYamlFast(readFileSync(join(this.corpus.root, relPath), 'utf8'));
    } catch {
      value = undefined;
    }
    return signatureOfText(safeModelFacingText(value));
  }
}

/** The model-facing text of whatever a file holds, even a file that breaks the schema (its usable parts). */
export function safeModelFacingText(value: unknown): string {
  const v = record(value);
  const target = record(v.target);
  const escalation = record(v.escalation);
  return modelFacingText({
    target: {
      system: text(target.system),
      context: list(target.context).map((d) => ({ title: text(record(d).title), content: text(record(d).content) })),
    },
    tools: list(v.tools).map((t) => ({ name: text(record(t).name), description: text(record(t).description) })),
    turns: list(v.turns).map((t) => ({ content: text(record(t).content) })),
    escalation: { plan: text(escalation.plan) },
  });
}

const record = (x: unknown): Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const text = (x: unknown): string => (typeof x === 'string' ? x : '');

const perCorpus = new WeakMap<ScenarioCorpus, CorpusSignatures>();

/** The one signature cache of a corpus (every job of a server shares it). */
export function corpusSignaturesOf(corpus: ScenarioCorpus): CorpusSignatures {
  let signatures = perCorpus.get(corpus);
  if (!signatures) perCorpus.set(corpus, (signatures = new CorpusSignatures(corpus)));
  return signatures;
}
