import type { Taxonomy } from '../../schema/taxonomy.ts';
import { sectionsOf } from './bloom.import.ts';
import { auditedRun, chatTranscript } from './chat-transcript.ts';
import { placeDrafts, type DraftPlace } from './import.behaviour.ts';
import { oneLine } from './import.draft.ts';
import { ImportError, itemHash, type ImportOptions, type ImportPlan } from './import.plan.ts';
import { readDocument, type ReadDocument } from './import.read.ts';
import { isRecord } from './openai-tools.import.ts';
import { judgeOutputOf, readPetriTranscript } from './petri-transcript.read.ts';
import type { SiblingReader } from './promptfoo.import.ts';
import type { ExternalScore, PlannedTranscript } from './transcript.plan.ts';
import { transcriptScenario } from './transcript.scenario.ts';

// Bloom's judgment.json with the run's transcripts (`transcript_v<variation>r<repetition>.json`
// beside it), or one transcript alone. Each transcript becomes an imported transcript; the
// judgment's scores become external scores (`bloom:behavior_presence` and the extra qualities,
// 1-10). Whether a high behaviour presence is aligned depends on the behaviour (sycophancy: no;
// a propensity to care for animal welfare: yes): `presence` says which, misaligned by default.
// Run-level statistics (summary_statistics, metajudgment) are not per transcript and are reported
// as not carried.

const QUALITY_KEYS = ['behavior_presence', 'unrealism', 'evaluation_awareness', 'evaluation_invalidity'];
const SCALE = { min: 1, max: 10 };

export function isBloomJudgment(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.judgments);
}

export function isTranscriptDocument(value: unknown): boolean {
  return (
    isRecord(value) && isRecord(value.metadata) && (Array.isArray(value.events) || Array.isArray(value.target_messages))
  );
}

export function importBloomJudgment(
  doc: ReadDocument,
  file: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
  readSibling: SiblingReader = () => null,
): ImportPlan {
  const judgment = doc.value as Record<string, unknown>;
  const behaviour = judgment.behavior_name;
  if (typeof behaviour !== 'string' || behaviour.trim() === '')
    throw new ImportError(doc.at(['behavior_name']), 'document', 'behavior_name', 'missing or not a string');
  const place = placeDrafts(taxonomy, 'bloom', options, {
    id: behaviour,
    name: behaviour,
    description: `Imported from Bloom's judgment for "${behaviour}"; replace with the behaviour's definition (Bloom's behaviors.json has it).`,
    item: `${file}#behavior_name`,
  });
  const skipped: ImportPlan['skipped'] = [];
  const transcripts: PlannedTranscript[] = [];
  (judgment.judgments as unknown[]).forEach((j, i) => {
    const item = `judgments[${i}]`;
    if (!isRecord(j)) throw new ImportError(doc.at(['judgments', i]), item, '', 'a judgment must be an object');
    for (const key of ['variation_number', 'repetition_number'])
      if (!Number.isInteger(j[key]))
        throw new ImportError(
          doc.at(['judgments', i, key]),
          item,
          key,
          `must be an integer, not ${JSON.stringify(j[key] ?? null)}`,
        );
    for (const key of QUALITY_KEYS)
      if (j[key] !== undefined && typeof j[key] !== 'number')
        throw new ImportError(
          doc.at(['judgments', i, key]),
          item,
          key,
          `must be a number (1-10), not ${JSON.stringify(j[key])}`,
        );
    const name = `transcript_v${String(j.variation_number)}r${String(j.repetition_number)}.json`;
    const text = readSibling(name);
    if (text === null) {
      skipped.push({
        item: `${file}#${item}`,
        reason: `${name} is not beside ${file}: a score without its conversation cannot be annotated or compared, so it is not imported`,
      });
      return;
    }
    const scores: ExternalScore[] = QUALITY_KEYS.filter((k) => typeof j[k] === 'number').map((k) => ({
      scorer: `bloom:${k}`,
      raw: j[k],
      value: j[k] as number,
      scale: SCALE,
      direction: directionOf(k, options),
      comparable: k === 'behavior_presence',
      rationale: k === 'behavior_presence' && typeof j.justification === 'string' ? j.justification : '',
    }));
    const dropped: string[] = [];
    if (Array.isArray(j.individual_samples) && j.individual_samples.length > 1)
      dropped.push(
        `${item}.individual_samples: the judge's ${j.individual_samples.length} samples; their combined score is kept`,
      );
    if (Array.isArray(j.highlights) && j.highlights.length > 0)
      dropped.push(`${item}.highlights: ${j.highlights.length} quoted passage(s); the justification is kept`);
    transcripts.push(
      bloomTranscript(readDocument(text, name), name, place, behaviour, options, {
        scores,
        dropped,
        variation: typeof j.variation_description === 'string' ? j.variation_description : undefined,
        summary: typeof j.summary === 'string' ? j.summary : undefined,
      }),
    );
  });
  if (Array.isArray(judgment.failed_judgments))
    judgment.failed_judgments.forEach((_, i) =>
      skipped.push({
        item: `${file}#failed_judgments[${i}]`,
        reason: 'a judgment Bloom failed to make: no score to import',
      }),
    );
  for (const key of ['summary_statistics', 'metajudgment_scores'])
    if (judgment[key] !== undefined)
      skipped.push({
        item: `${file}#${key}`,
        reason:
          "run-level statistics, not a transcript's: not carried (Crucible computes its own from the transcripts)",
      });
  return { format: 'bloom', file, behaviours: place.added, scenarios: [], skipped, transcripts };
}

/** One Bloom transcript without its judgment: the scores its metadata's judge_output holds. */
export function importBloomTranscriptFile(
  doc: ReadDocument,
  file: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
): ImportPlan {
  const place = placeDrafts(taxonomy, 'bloom', options, {
    id: 'bloom-transcripts',
    name: 'Bloom transcripts',
    description:
      'Transcripts imported from Bloom rollouts; name the behaviour they probe (or import the judgment.json beside them).',
    item: file,
  });
  const transcript = bloomTranscript(doc, file, place, place.behavior, options, {
    scores: null,
    dropped: [],
  });
  return { format: 'bloom', file, behaviours: place.added, scenarios: [], skipped: [], transcripts: [transcript] };
}

function directionOf(key: string, options: ImportOptions): ExternalScore['direction'] {
  if (key === 'behavior_presence') return options.presence === 'aligned' ? 'higher-better' : 'lower-better';
  return 'lower-better';
}

function bloomTranscript(
  doc: ReadDocument,
  file: string,
  place: DraftPlace,
  behaviour: string,
  options: ImportOptions,
  from: {
    scores: ExternalScore[] | null;
    dropped: string[];
    variation?: string;
    summary?: string;
  },
): PlannedTranscript {
  const dropped = [...from.dropped];
  const read = readPetriTranscript(doc, file, dropped);
  const chat = chatTranscript(read.messages, dropped);
  const meta = read.metadata;
  const judgeOutput = judgeOutputOf(meta);
  const scores =
    from.scores ??
    Object.entries(isRecord(judgeOutput?.scores) ? judgeOutput.scores : {})
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => ({
        scorer: `bloom:${k}`,
        raw: v,
        value: v as number,
        scale: SCALE,
        direction: directionOf(k, options),
        comparable: k === 'behavior_presence',
        rationale:
          k === 'behavior_presence' && typeof judgeOutput?.justification === 'string' ? judgeOutput.justification : '',
      }));
  const sections = from.variation ? sectionsOf(from.variation.replace(/^\s*<dimension>[^<]*<\/dimension>\s*/, '')) : {};
  const success = sections['Success Criteria'] ? oneLine(sections['Success Criteria'], 2000) : undefined;
  const sourceHash = itemHash(doc.value);
  const title = /\*\*(Scenario \d+:[^*]+)\*\*/.exec(from.variation ?? '')?.[1]?.trim() ?? `Bloom rollout ${file}`;
  return {
    item: file,
    format: 'bloom',
    sourceHash,
    ...auditedRun(meta),
    scenario: transcriptScenario({
      format: 'bloom',
      item: file,
      sourceHash,
      name: `${behaviour}-${file.replace(/\.json$/i, '')}`,
      title,
      summary: from.summary ?? sections.Context,
      category: place.category,
      behavior: place.behavior,
      chat,
      toolDescriptions: read.toolDescriptions,
      // Bloom's success criteria describe the behaviour showing: aligned only when its presence is.
      ...(success && options.presence === 'aligned'
        ? { aligned: `Bloom's success criteria for ${behaviour}: ${success}`, passCriteria: [success] }
        : {}),
      ...(success && options.presence !== 'aligned'
        ? { misaligned: `Bloom's success criteria for eliciting ${behaviour}: ${success}`, failCriteria: [success] }
        : {}),
      notes: `Imported Bloom transcript ${file} (transcript id ${String(meta.transcript_id ?? '?')}, evaluator ${String(meta.auditor_model ?? '?')}).`,
    }),
    events: chat.events,
    scores,
    dropped,
  };
}
