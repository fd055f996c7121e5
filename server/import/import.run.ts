import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { importBloom } from './bloom.import.ts';
import { importInspectDataset } from './inspect.import.ts';
import { ImportError, IMPORT_FORMATS, type ImportFormat, type ImportOptions, type ImportPlan } from './import.plan.ts';
import { importOpenAiTools } from './openai-tools.import.ts';
import { importPetriSeeds } from './petri.import.ts';
import { importPromptfoo, type SiblingReader } from './promptfoo.import.ts';
import { planTranscriptImport } from './transcript.import.ts';
import { transcriptIdOf } from './transcript.plan.ts';

/** What an import reads: one file's text (or, for Petri, a folder's .md seeds), and a reader for files it refers to. */
export interface ImportSource {
  name: string;
  files: { name: string; text: string }[];
  readSibling?: SiblingReader;
}

export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

/** Builds the plan of an import, writing nothing. Throws an ImportError at the first problem of the file. */
export function planImport(
  format: ImportFormat,
  source: ImportSource,
  taxonomy: Taxonomy,
  options: ImportOptions,
): ImportPlan {
  const only = () => {
    if (source.files.length !== 1)
      throw new ImportError(source.name, 'path', '', `${format} imports one file, not a folder`);
    return source.files[0]!;
  };
  if (source.files.length === 1) {
    const transcripts = planTranscriptImport(format, source.files[0]!, taxonomy, options, source.readSibling);
    if (transcripts) return transcripts;
  }
  switch (format) {
    case 'openai-tools':
      return importOpenAiTools(only().text, only().name, taxonomy, options);
    case 'inspect':
      return importInspectDataset(only().text, only().name, taxonomy, options);
    case 'bloom':
      return importBloom(only().text, only().name, taxonomy, options);
    case 'petri':
      return importPetriSeeds(source.files, source.name, taxonomy, options);
    case 'promptfoo':
      return importPromptfoo(only().text, only().name, taxonomy, options, source.readSibling);
  }
}

/** Reads a file (or a folder of .md seeds) from disk; files the source refers to are read beside it, never above it. */
export function readImportSource(path: string): ImportSource {
  const abs = resolve(path);
  let stats;
  try {
    stats = statSync(abs);
  } catch {
    throw new ImportError(path, 'path', '', 'no such file or folder');
  }
  if (stats.isDirectory()) {
    const files = readdirSync(abs)
      .filter((n) => n.endsWith('.md') && !/^(readme|source)\.md$/i.test(n))
      .sort()
      .map((n) => ({ name: n, text: readFileSync(join(abs, n), 'utf8') }));
    return { name: basename(abs), files };
  }
  const dir = dirname(abs);
  return {
    name: basename(abs),
    files: [{ name: basename(abs), text: readFileSync(abs, 'utf8') }],
    readSibling: (rel) => {
      const target = resolve(dir, rel);
      if (relative(dir, target).startsWith('..')) return null;
      try {
        return readFileSync(target, 'utf8');
      } catch {
        return null;
      }
    },
  };
}

/** The plan narrowed to the chosen scenario, transcript and behaviour ids; a chosen item keeps the new behaviour it is filed under. */
export function chooseItems(plan: ImportPlan, only: readonly string[] | undefined): ImportPlan {
  if (!only) return plan;
  const chosen = new Set(only);
  const scenarios = plan.scenarios.filter((s) => chosen.has(s.id));
  const transcripts = plan.transcripts?.filter((t) => chosen.has(transcriptIdOf(t.sourceHash)));
  const needed = new Set([...scenarios, ...(transcripts ?? [])].map((s) => s.scenario.behavior));
  const behaviours = plan.behaviours.filter((b) => chosen.has(b.behaviour.id) || needed.has(b.behaviour.id));
  return { ...plan, scenarios, behaviours, ...(transcripts ? { transcripts } : {}) };
}
