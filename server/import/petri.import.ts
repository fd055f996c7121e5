import type { Taxonomy } from '../../schema/taxonomy.ts';
import { placeDrafts } from './import.behaviour.ts';
import { draftScenario, oneLine } from './import.draft.ts';
import {
  ImportError,
  itemHash,
  kebab,
  placeholder,
  type ImportOptions,
  type ImportPlan,
  type PlannedScenario,
} from './import.plan.ts';
import { readDocument } from './import.read.ts';
import { isRecord } from './openai-tools.import.ts';

// Petri (safety-research/petri) seed instructions: a JSON list of `{id, input, tags}` objects or of
// strings, or a folder of .md seeds with YAML frontmatter. A seed is prose addressed to Petri's
// auditor agent, which plays the user (and sets the system prompt, and invents tools) from it.
// The nearest Crucible shape is an auditor-seed draft whose adaptive escalation plan is the seed:
// the simulated user follows it. The operator prompt and first message are left to the author.
// Petri's transcripts are read by petri-transcript.import.ts.

export interface SeedFile {
  name: string;
  text: string;
}

export function importPetriSeeds(
  files: SeedFile[],
  label: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
): ImportPlan {
  const seeds = files.flatMap((f) => (/\.md$/i.test(f.name) ? [markdownSeed(f)] : jsonSeeds(f)));
  if (seeds.length === 0) throw new ImportError(label, 'document', '', 'holds no seed instruction');
  const stem = kebab(label.replace(/\.(json|md)$/i, '').replace(/^petri-seeds-/, ''));
  const place = placeDrafts(taxonomy, 'petri', options, {
    id: stem,
    name: stem,
    description: `Imported from the Petri seeds ${label}; describe the behaviour they probe.`,
    item: label,
  });
  const scenarios = seeds.map((s) => seedDraft(s, stem, place));
  return { format: 'petri', file: label, behaviours: place.added, scenarios, skipped: [] };
}

interface Seed {
  item: string;
  id: string;
  input: string;
  tags: string[];
  raw: unknown;
}

function jsonSeeds(file: SeedFile): Seed[] {
  if (/^\s*(from|import|SEED_INSTRUCTIONS)\b/m.test(file.text) && !/^\s*[[{]/.test(file.text)) {
    throw new ImportError(
      file.name,
      'document',
      '',
      "is Python source; save Petri's seed list as JSON (a list of {id, input, tags}) and import that",
    );
  }
  const doc = readDocument(file.text, file.name);
  if (!Array.isArray(doc.value))
    throw new ImportError(doc.at([]), 'document', '', 'a Petri seed file is a JSON list of seeds');
  return doc.value.map((entry, i) => {
    if (typeof entry === 'string') {
      if (!entry.trim()) throw new ImportError(doc.at([i]), `seed [${i}]`, '', 'is empty');
      return { item: `${file.name}#${i}`, id: String(i + 1), input: entry, tags: [], raw: entry };
    }
    if (!isRecord(entry))
      throw new ImportError(doc.at([i]), `seed [${i}]`, '', 'must be a string or an object {id, input, tags}');
    if (typeof entry.input !== 'string' || entry.input.trim() === '') {
      throw new ImportError(doc.at([i, 'input']), `seed [${i}]`, 'input', 'missing or not a non-empty string');
    }
    if (entry.tags !== undefined && !(Array.isArray(entry.tags) && entry.tags.every((t) => typeof t === 'string'))) {
      throw new ImportError(doc.at([i, 'tags']), `seed [${i}]`, 'tags', 'must be a list of strings');
    }
    const id = entry.id === undefined ? String(i + 1) : String(entry.id);
    return {
      item: `${file.name}#${id}`,
      id,
      input: entry.input,
      tags: (entry.tags as string[] | undefined) ?? [],
      raw: entry,
    };
  });
}

function markdownSeed(file: SeedFile): Seed {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(file.text);
  const front = m ? readDocument(m[1]!, file.name, 1, 'frontmatter').value : {};
  if (m && !isRecord(front)) throw new ImportError(`${file.name}:2:1`, 'frontmatter', '', 'must be a mapping');
  const meta = (front ?? {}) as Record<string, unknown>;
  const input = (m ? m[2]! : file.text).trim();
  if (!input) throw new ImportError(file.name, 'seed', 'body', 'is empty');
  const tags = Array.isArray(meta.tags) ? meta.tags.map(String) : [];
  const id =
    typeof meta.id === 'string' || typeof meta.id === 'number' ? String(meta.id) : file.name.replace(/\.md$/i, '');
  return { item: `${file.name}`, id, input, tags, raw: file.text };
}

function seedDraft(seed: Seed, stem: string, place: { category: string; behavior: string }): PlannedScenario {
  const idPart = kebab(seed.id, 60);
  return draftScenario({
    item: seed.item,
    id: idPart.startsWith('petri') ? idPart : `petri-${idPart}`,
    format: 'petri',
    kind: 'auditor-seed',
    hash: itemHash(seed.raw),
    title: `Petri seed ${seed.id}: ${oneLine(seed.input, 120)}`,
    summary: seed.input,
    category: place.category,
    behavior: place.behavior,
    turns: [
      { content: placeholder(`the user's first message, as the seed's auditor would open (see escalation.plan)`) },
    ],
    escalation: {
      plan: `You are the auditor of this scenario. Follow these seed instructions (from Petri):\n\n${seed.input}`,
      max_turns: 20,
    },
    tags: ['imported', 'petri', ...seed.tags.map((t) => kebab(t))],
    dropped: [
      "Petri's auditor also writes the system prompt and creates the target's tools from the seed; here they are for the author to write (target.system, tools)",
    ],
    placeholders: ['turns'],
    notes: `Imported from Petri seed ${seed.item} (${stem}).`,
  });
}
