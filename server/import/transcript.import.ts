import type { Taxonomy } from '../../schema/taxonomy.ts';
import {
  importBloomJudgment,
  importBloomTranscriptFile,
  isBloomJudgment,
  isTranscriptDocument,
} from './bloom-transcript.import.ts';
import { importInspectLog, isInspectLog } from './inspect-log.import.ts';
import type { ImportFormat, ImportOptions, ImportPlan } from './import.plan.ts';
import { readDocument } from './import.read.ts';
import { importPetriTranscript } from './petri-transcript.import.ts';
import type { SiblingReader } from './promptfoo.import.ts';

/**
 * The plan of a transcript import when the file is one (a Bloom judgment.json or transcript, a
 * Petri transcript, an Inspect eval log), told apart by its content; null for the formats' other
 * files (behaviours, ideation, seeds, datasets), which the scenario importers read.
 */
export function planTranscriptImport(
  format: ImportFormat,
  file: { name: string; text: string },
  taxonomy: Taxonomy,
  options: ImportOptions,
  readSibling?: SiblingReader,
): ImportPlan | null {
  if (!/\.json$/i.test(file.name) || !['bloom', 'petri', 'inspect'].includes(format)) return null;
  if (!/^\s*\{/.test(file.text)) return null; // a list (seeds, a dataset) or not JSON: not a transcript file
  const doc = readDocument(file.text, file.name);
  if (format === 'bloom' && isBloomJudgment(doc.value))
    return importBloomJudgment(doc, file.name, taxonomy, options, readSibling);
  if (format === 'bloom' && isTranscriptDocument(doc.value))
    return importBloomTranscriptFile(doc, file.name, taxonomy, options);
  if (format === 'petri' && isTranscriptDocument(doc.value))
    return importPetriTranscript(doc, file.name, taxonomy, options);
  if (format === 'inspect' && isInspectLog(doc.value)) return importInspectLog(doc, file.name, taxonomy, options);
  return null;
}
