import type { Turn } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { draftScenario, oneLine } from './import.draft.ts';
import { placeDrafts } from './import.behaviour.ts';
import { readCsv } from './import.csv.ts';
import {
  ImportError,
  itemHash,
  kebab,
  type ImportOptions,
  type ImportPlan,
  type PlannedScenario,
} from './import.plan.ts';
import { readDocument, readJsonLines } from './import.read.ts';
import { isRecord } from './openai-tools.import.ts';

// Inspect datasets (JSON list, JSON Lines, CSV): each sample `{input, target, id?, choices?,
// metadata?}` becomes a draft. A string input is the first user turn; a chat-message input gives
// the system prompt (system messages) and the turns (user messages). The target and metadata are
// kept: the target as a pass criterion and in the notes, the metadata in the notes. Datasets with
// their own fields (popularity.jsonl: question, answer_matching_behavior) map by the usual names.

const INPUT_FIELDS = ['input', 'question', 'prompt'];
const TARGET_FIELDS = ['target', 'answer_matching_behavior', 'answer', 'ideal'];

interface Sample {
  item: string;
  /** Where the sample is, for errors: `file:line:column`. */
  at: (path: (string | number)[]) => string;
  record: Record<string, unknown>;
  /** The sample as in the source (CSV: its cells), hashed. */
  raw: unknown;
}

export function importInspectDataset(
  text: string,
  file: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
): ImportPlan {
  const samples = samplesOf(text, file);
  if (samples.length === 0) throw new ImportError(file, 'document', '', 'holds no sample');
  const stem = kebab(file.replace(/\.(jsonl|json|csv)$/i, ''));
  const place = placeDrafts(taxonomy, 'inspect', options, {
    id: `inspect-${stem}`,
    name: `Inspect dataset ${file}`,
    description: `Samples imported from the Inspect dataset ${file}; describe the behaviour they probe.`,
    item: file,
  });
  const scenarios = samples.map((s, i) => draftOf(s, i, file, stem, place));
  return { format: 'inspect', file, behaviours: place.added, scenarios, skipped: [] };
}

function samplesOf(text: string, file: string): Sample[] {
  if (/\.csv$/i.test(file)) {
    return readCsv(text, file).map(({ line, record }) => {
      const parsed: Record<string, unknown> = { ...record };
      if (typeof record.metadata === 'string' && record.metadata.trim() !== '') {
        parsed.metadata = readDocument(record.metadata, file, line - 1, `row at line ${line}`).value;
      }
      return { item: `line ${line}`, at: () => `${file}:${line}:1`, record: parsed, raw: record };
    });
  }
  if (/\.jsonl$/i.test(file)) {
    return readJsonLines(text, file).map((d) => {
      if (!isRecord(d.value)) throw new ImportError(d.at([]), `line ${d.line}`, '', 'a sample must be a JSON object');
      return { item: `line ${d.line}`, at: d.at, record: d.value, raw: d.value };
    });
  }
  if (/\.eval$/i.test(file) || text.startsWith('PK')) {
    throw new ImportError(
      file,
      'document',
      '',
      'is an Inspect .eval log (a ZIP), which is not read yet; write it as JSON (`inspect log convert --to json`) and import the .json',
    );
  }
  const doc = readDocument(text, file);
  if (isRecord(doc.value) && isRecord(doc.value.eval) && 'version' in doc.value) {
    throw new ImportError(
      doc.at([]),
      'document',
      '',
      'is an Inspect eval log; name it .json to import its samples as transcripts',
    );
  }
  const list = isRecord(doc.value) && Array.isArray(doc.value.samples) ? doc.value.samples : doc.value;
  if (!Array.isArray(list))
    throw new ImportError(doc.at([]), 'document', '', 'a JSON dataset must be a list of samples');
  return list.map((value, i) => {
    if (!isRecord(value)) throw new ImportError(doc.at([i]), `sample [${i}]`, '', 'a sample must be an object');
    return { item: `sample [${i}]`, at: (p) => doc.at([i, ...p]), record: value, raw: value };
  });
}

function draftOf(
  sample: Sample,
  index: number,
  file: string,
  stem: string,
  place: { category: string; behavior: string },
): PlannedScenario {
  const { record } = sample;
  const dropped: string[] = [];
  const inputField = INPUT_FIELDS.find((f) => record[f] !== undefined);
  if (!inputField) {
    throw new ImportError(
      sample.at([]),
      sample.item,
      'input',
      `missing: a sample needs one of ${INPUT_FIELDS.join(', ')}`,
    );
  }
  const input = record[inputField];
  const system: string[] = [];
  const turns: Turn[] = [];
  if (typeof input === 'string') {
    if (input.trim() === '') throw new ImportError(sample.at([inputField]), sample.item, inputField, 'is empty');
    turns.push({ content: input });
  } else if (Array.isArray(input)) {
    input.forEach((m, mi) => {
      if (!isRecord(m) || typeof m.role !== 'string') {
        throw new ImportError(
          sample.at([inputField, mi]),
          sample.item,
          `${inputField}[${mi}].role`,
          'a chat message needs a role',
        );
      }
      const text = messageText(m.content, (part) => dropped.push(`${inputField}[${mi}]: ${part}`));
      if (text === null) {
        throw new ImportError(
          sample.at([inputField, mi, 'content']),
          sample.item,
          `${inputField}[${mi}].content`,
          'must be a string or a list of content parts',
        );
      }
      if (m.role === 'system') system.push(text);
      else if (m.role === 'user') {
        if (text.trim()) turns.push({ content: text });
      } else if (m.role === 'assistant') {
        // A prior answer the model is held to: a scripted assistant turn, after the user turn it answers.
        if (Array.isArray(m.tool_calls) && m.tool_calls.length)
          dropped.push(
            `${inputField}[${mi}].tool_calls: an earlier answer's tool calls (${m.tool_calls.length}): a scripted assistant turn is text only`,
          );
        const last = turns.at(-1);
        if (!text.trim()) return;
        if (!last)
          dropped.push(
            `${inputField}[${mi}]: an assistant message before any user message ("${oneLine(text, 60)}"): the user speaks first`,
          );
        else if (last.role === 'assistant') last.content = `${last.content}\n\n${text}`;
        else turns.push({ role: 'assistant', content: text });
      } else {
        dropped.push(
          `${inputField}[${mi}]: a ${m.role} message ("${oneLine(text, 60)}"): only system, user and assistant messages become a scenario's turns`,
        );
      }
    });
    // The model answers the last user message live: an assistant message after it would be taken as its answer.
    if (turns.at(-1)?.role === 'assistant') {
      const answer = turns.pop()!;
      dropped.push(
        `the last message is an assistant answer ("${oneLine(answer.content, 60)}"): the model answers the last user message itself`,
      );
    }
    if (turns.length === 0)
      throw new ImportError(sample.at([inputField]), sample.item, inputField, 'has no user message with text');
  } else {
    throw new ImportError(
      sample.at([inputField]),
      sample.item,
      inputField,
      'must be a string or a list of chat messages',
    );
  }
  const targetField = TARGET_FIELDS.find((f) => record[f] !== undefined);
  const targets =
    targetField === undefined
      ? []
      : (Array.isArray(record[targetField]) ? (record[targetField] as unknown[]) : [record[targetField]]).map((t) =>
          String(t).trim(),
        );
  const kept = Object.fromEntries(
    Object.entries(record).filter(([k]) => k !== inputField && k !== targetField && k !== 'id'),
  );
  const idPart = record.id !== undefined ? kebab(String(record.id), 40) : String(index + 1);
  const notes = [
    `Imported from the Inspect dataset ${file} (${sample.item}).`,
    ...(targets.length ? [`Target (${targetField}): ${JSON.stringify(targetField && record[targetField])}`] : []),
    ...(Object.keys(kept).length ? [`Other fields, kept as they were:\n${JSON.stringify(kept, null, 2)}`] : []),
  ].join('\n\n');
  return draftScenario({
    item: `${file}#${record.id !== undefined ? String(record.id) : sample.item}`,
    id: `inspect-${stem}-${idPart}`.slice(0, 120).replace(/-+$/, ''),
    format: 'inspect',
    hash: itemHash(sample.raw),
    title: turns[0]!.content,
    category: place.category,
    behavior: place.behavior,
    system: system.length ? system.join('\n\n') : undefined,
    turns,
    passCriteria: targets.filter(Boolean).map((t) => `The answer agrees with the dataset's target: ${t}`),
    tags: ['imported', 'inspect'],
    notes,
    dropped,
  });
}

/** The text of a message's content: a string, or the text parts of a list (other parts reported). */
function messageText(content: unknown, drop: (what: string) => void): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    else drop(`a ${isRecord(part) ? String(part.type) : typeof part} content part: scenarios carry text only`);
  }
  return texts.join('\n\n');
}
