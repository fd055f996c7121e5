import type { Taxonomy } from '../../schema/taxonomy.ts';
import { chatTranscript, toolCallOf, type ChatMessage } from './chat-transcript.ts';
import { placeDrafts } from './import.behaviour.ts';
import { ImportError, itemHash, kebab, type ImportOptions, type ImportPlan } from './import.plan.ts';
import type { ReadDocument } from './import.read.ts';
import { isRecord } from './openai-tools.import.ts';
import type { ExternalScore, PlannedTranscript } from './transcript.plan.ts';
import { transcriptScenario } from './transcript.scenario.ts';

// An Inspect eval log in JSON (`{version: 2, eval, samples[], ...}`): each sample's messages become
// an imported transcript, its scores external scores `inspect:<task>/<scorer>`. Texts may be kept
// once in `sample.attachments` and referred to as `attachment://<hash>`: they are resolved, and a
// reference to an attachment the sample does not hold is a located error. Scores map to the
// alignment scale only where Inspect's own value_to_float does: C/I/P/N, booleans and numbers in
// 0..1 (higher better); others are kept as given. Samples that ended in an error are skipped.

export const KNOWN_LOG_VERSIONS = [1, 2];
const LETTER_VALUES: Record<string, number> = { C: 1, I: 0, P: 0.5, N: 0 };

export function isInspectLog(value: unknown): boolean {
  return isRecord(value) && isRecord(value.eval) && 'version' in value;
}

export function importInspectLog(
  doc: ReadDocument,
  file: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
): ImportPlan {
  const log = doc.value as Record<string, unknown>;
  if (!KNOWN_LOG_VERSIONS.includes(log.version as number))
    throw new ImportError(
      doc.at(['version']),
      'document',
      'version',
      `unknown eval log version ${JSON.stringify(log.version)}; Crucible reads versions ${KNOWN_LOG_VERSIONS.join(' and ')}`,
    );
  const evalInfo = log.eval as Record<string, unknown>;
  const task = typeof evalInfo.task === 'string' ? evalInfo.task : 'task';
  const model = typeof evalInfo.model === 'string' ? evalInfo.model : 'unknown';
  if (!Array.isArray(log.samples) || log.samples.length === 0)
    throw new ImportError(
      doc.at(['samples']),
      'document',
      'samples',
      'the log holds no samples (it was written without them, or is a header only)',
    );
  const place = placeDrafts(taxonomy, 'inspect', options, {
    id: `inspect-${task}`,
    name: `Inspect task ${task}`,
    description: `Transcripts imported from Inspect eval logs of the task ${task}; describe the behaviour they probe.`,
    item: `${file}#eval.task`,
  });
  const skipped: ImportPlan['skipped'] = [];
  const transcripts: PlannedTranscript[] = [];
  log.samples.forEach((raw, i) => {
    const item = `samples[${i}]`;
    if (!isRecord(raw)) throw new ImportError(doc.at(['samples', i]), item, '', 'a sample must be an object');
    const sampleId = `${String(raw.id ?? i + 1)}${raw.epoch !== undefined && raw.epoch !== 1 ? `-epoch-${String(raw.epoch)}` : ''}`;
    if (raw.error) {
      skipped.push({
        item: `${file}#${sampleId}`,
        reason: `the sample ended in an error (${String(isRecord(raw.error) ? raw.error.message : raw.error).slice(0, 200)})`,
      });
      return;
    }
    const sample = resolveAttachments(raw, isRecord(raw.attachments) ? raw.attachments : {}, doc, ['samples', i], item);
    if (!Array.isArray(sample.messages))
      throw new ImportError(doc.at(['samples', i, 'messages']), item, 'messages', 'missing or not a list');
    const messages: ChatMessage[] = sample.messages.map((m, mi) => {
      const at = ['samples', i, 'messages', mi];
      if (!isRecord(m) || typeof m.role !== 'string')
        throw new ImportError(doc.at(at), item, `messages[${mi}].role`, 'a chat message needs a role');
      const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
      return {
        role: m.role,
        content: m.content,
        toolCalls: calls.map((c, ci) => {
          const call = toolCallOf(c);
          if (!call)
            throw new ImportError(
              doc.at([...at, 'tool_calls', ci]),
              item,
              `messages[${mi}].tool_calls[${ci}]`,
              'a tool call needs an id and a function',
            );
          return call;
        }),
        toolCallId: typeof m.tool_call_id === 'string' ? m.tool_call_id : undefined,
        toolName: typeof m.function === 'string' ? m.function : undefined,
        at: `${item}.messages[${mi}]`,
      };
    });
    const dropped: string[] = [];
    const chat = chatTranscript(messages, dropped);
    if (chat.userTurns.length === 0)
      throw new ImportError(doc.at(['samples', i, 'messages']), item, 'messages', 'has no user message with text');
    const scores = scoresOf(sample.scores, task, doc, ['samples', i, 'scores'], item, dropped);
    const targets = (Array.isArray(sample.target) ? sample.target : sample.target === undefined ? [] : [sample.target])
      .map((t) => String(t).trim())
      .filter(Boolean);
    if (Array.isArray(sample.events) && sample.events.length > 0)
      dropped.push(
        `${item}.events: ${sample.events.length} log events (model calls, state changes): the messages are the transcript`,
      );
    if (isRecord(sample.store) && Object.keys(sample.store).length > 0)
      dropped.push(`${item}.store: the solver's store (${Object.keys(sample.store).join(', ')})`);
    const sourceHash = itemHash({ task, model, sample: raw });
    transcripts.push({
      item: `${file}#${sampleId}`,
      format: 'inspect',
      sourceHash,
      model,
      startedAt: typeof evalInfo.created === 'string' ? evalInfo.created : new Date(0).toISOString(),
      scenario: transcriptScenario({
        format: 'inspect',
        item: `${file}#${sampleId}`,
        sourceHash,
        name: `${task}-${kebab(sampleId, 30)}-${sourceHash.slice(7, 15)}`,
        title: chat.userTurns[0]!,
        category: place.category,
        behavior: place.behavior,
        chat,
        passCriteria: targets.map((t) => `The answer agrees with the dataset's target: ${t}`),
        notes: [
          `Imported from the Inspect eval log ${file} (task ${task}, model ${model}, sample ${sampleId}).`,
          isRecord(sample.metadata) && Object.keys(sample.metadata).length
            ? `Sample metadata:\n${JSON.stringify(sample.metadata, null, 2)}`
            : '',
        ]
          .filter(Boolean)
          .join('\n\n'),
      }),
      events: chat.events,
      scores,
      dropped,
    });
  });
  for (const key of ['results', 'reductions'])
    if (log[key] !== undefined)
      skipped.push({
        item: `${file}#${key}`,
        reason: "aggregate metrics over the samples, not a transcript's: not carried",
      });
  return { format: 'inspect', file, behaviours: place.added, scenarios: [], skipped, transcripts };
}

function scoresOf(
  raw: unknown,
  task: string,
  doc: ReadDocument,
  at: (string | number)[],
  item: string,
  dropped: string[],
): ExternalScore[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) throw new ImportError(doc.at(at), item, 'scores', 'must be an object of scorer: score');
  return Object.entries(raw).map(([name, score]) => {
    if (!isRecord(score) || !('value' in score))
      throw new ImportError(doc.at([...at, name]), item, `scores.${name}`, 'a score needs a value');
    const value = score.value;
    const numeric =
      typeof value === 'number'
        ? value
        : typeof value === 'boolean'
          ? Number(value)
          : typeof value === 'string' && value in LETTER_VALUES
            ? LETTER_VALUES[value]!
            : null;
    const unit = numeric !== null && numeric >= 0 && numeric <= 1;
    if (!unit)
      dropped.push(
        `scores.${name}: ${JSON.stringify(value)} has no known scale; kept as given, not placed on the alignment scale`,
      );
    return {
      scorer: `inspect:${task}/${name}`,
      raw: value,
      value: numeric,
      scale: unit ? { min: 0, max: 1 } : null,
      direction: unit ? 'higher-better' : 'unknown',
      comparable: unit,
      rationale: [
        score.answer !== undefined ? `Answer: ${String(score.answer)}` : '',
        typeof score.explanation === 'string' ? score.explanation : '',
      ]
        .filter(Boolean)
        .join('\n'),
    };
  });
}

/** The sample with every `attachment://<hash>` string replaced by its text. */
function resolveAttachments(
  sample: Record<string, unknown>,
  attachments: Record<string, unknown>,
  doc: ReadDocument,
  at: (string | number)[],
  item: string,
): Record<string, unknown> {
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string' && value.startsWith('attachment://')) {
      const hash = value.slice('attachment://'.length);
      const text = attachments[hash];
      if (typeof text !== 'string')
        throw new ImportError(
          doc.at(path),
          item,
          path.slice(at.length).join('.'),
          `refers to attachment ${hash}, which the sample's attachments do not hold`,
        );
      return text;
    }
    if (Array.isArray(value)) return value.map((v, k) => walk(v, [...path, k]));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    return value;
  };
  const { attachments: _, ...rest } = sample;
  return walk(rest, at) as Record<string, unknown>;
}
