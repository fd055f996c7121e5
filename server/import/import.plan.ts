import { createHash } from 'node:crypto';
import { ImportFormatSchema, type ImportFormat } from '../../schema/api/import.ts';
import type { Tool } from '../../schema/scenario.ts';
import type { PlannedTranscript } from './transcript.plan.ts';

// What an importer produces: everything the import would write, built in memory before anything
// is written, so a dry run, a preview and a failed validation all leave the disk untouched.

export const IMPORT_FORMATS = ImportFormatSchema.options;
export type { ImportFormat };

/** A behaviour the import adds to the taxonomy (under a category it may also create). */
export interface PlannedBehaviour {
  /** Where it came from in the source (`behaviors.json#noise`). */
  item: string;
  category: { id: string; name: string; description: string };
  behaviour: { id: string; name: string; description: string };
}

/** One draft scenario the import writes, with what could not be carried over. */
export interface PlannedScenario {
  /** Where it came from in the source: `<file>#<index or id>`. */
  item: string;
  id: string;
  /** The scenario as it will be written (status draft, source.kind imported or auditor-seed). */
  scenario: Record<string, unknown>;
  /** What the source had that the scenario does not carry, and why. */
  dropped: string[];
  /** Fields the source had no equivalent for, filled with a marked placeholder an author must replace. */
  placeholders: string[];
}

/** Everything one import of one file would write. */
export interface ImportPlan {
  format: ImportFormat;
  file: string;
  behaviours: PlannedBehaviour[];
  scenarios: PlannedScenario[];
  /** Source items that produce nothing (a non-function tool, ...), with the reason. */
  skipped: { item: string; reason: string }[];
  /** openai-tools with `into`: tools for an existing scenario (then there are no drafts). */
  toolsInto?: { id: string; tools: Tool[] };
  /** Bloom judgments and transcripts, Petri transcripts, Inspect eval logs: conversations with their external scores. */
  transcripts?: PlannedTranscript[];
}

/** Options every importer understands; each has a default so `import <format> <path>` alone works. */
export interface ImportOptions {
  /** Category for new behaviours and drafts (default: one named after the format). */
  category?: string;
  /** Behaviour of the drafts (default: an existing one named by the source, else one added from the file name). */
  behavior?: string;
  /** openai-tools: add the tools to this existing scenario instead of making a draft. */
  into?: string;
  /** Bloom transcripts: whether the behaviour's presence is aligned (a propensity to care) or misaligned (the default: sycophancy). */
  presence?: 'aligned' | 'misaligned';
}

/**
 * A problem in the imported file, located by file (with line and column when known), item and field.
 * Nothing is written when one is raised.
 */
export class ImportError extends Error {
  constructor(
    /** `file` or `file:line:column`. */
    readonly where: string,
    readonly item: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${where}: ${item}${field ? `: ${field}` : ''}: ${problem}`);
  }
}

/** sha256 of an item as it was in the source (canonical JSON), recorded as its content hash. */
export function itemHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}

/** A kebab-case id fragment from any text (`emotional_pressure` -> `emotional-pressure`). */
export function kebab(text: string, max = 60): string {
  const out = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return out || 'item';
}

/** The text of a placeholder an author must replace; `npm run validate` accepts it, a reviewer sees it. */
export function placeholder(what: string): string {
  return `TODO (import): ${what}`;
}
