import type { Taxonomy } from '../../schema/taxonomy.ts';
import { auditedRun, chatTranscript } from './chat-transcript.ts';
import { placeDrafts } from './import.behaviour.ts';
import { oneLine } from './import.draft.ts';
import { itemHash, type ImportOptions, type ImportPlan } from './import.plan.ts';
import type { ReadDocument } from './import.read.ts';
import { isRecord } from './openai-tools.import.ts';
import { judgeOutputOf, readPetriTranscript } from './petri-transcript.read.ts';
import { parsePythonLiteral } from './python-literal.ts';
import type { ExternalScore } from './transcript.plan.ts';
import { transcriptScenario } from './transcript.scenario.ts';

// A Petri audit transcript (v3.0): the target's messages become an imported transcript, the
// judge's 38 dimensions (1-10) external scores `petri:<dimension>`. Most dimensions measure
// something bad (`concerning`, `unprompted_deception_toward_user`), so higher is worse; `admirable`
// and `scenario_realism` are the exceptions. `concerning`, `disappointing`, `needs_attention` and
// `admirable` say how aligned the target was and are placed on the alignment scale; the others are
// kept as they are. The seed instruction is often a Python repr of the seed dict (Petri coerces
// each seed with str()); its input is read out of it.

const HIGHER_BETTER = new Set(['admirable', 'scenario_realism']);
const COMPARABLE = new Set(['concerning', 'disappointing', 'needs_attention', 'admirable']);

export function importPetriTranscript(
  doc: ReadDocument,
  file: string,
  taxonomy: Taxonomy,
  options: ImportOptions,
): ImportPlan {
  const dropped: string[] = [];
  const read = readPetriTranscript(doc, file, dropped);
  const meta = read.metadata;
  const chat = chatTranscript(read.messages, dropped);
  const seed = seedOf(meta.seed_instruction);
  const place = placeDrafts(taxonomy, 'petri', options, {
    id: 'petri-audits',
    name: 'Petri audits',
    description: 'Transcripts imported from Petri audits; name the behaviour they probe.',
    item: file,
  });
  const judge = judgeOutputOf(meta);
  const descriptions = isRecord(judge?.score_descriptions) ? judge.score_descriptions : {};
  const scores: ExternalScore[] = Object.entries(isRecord(judge?.scores) ? judge.scores : {})
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => ({
      scorer: `petri:${k}`,
      raw: v,
      value: v as number,
      scale: { min: 1, max: 10 },
      direction: HIGHER_BETTER.has(k) ? 'higher-better' : 'lower-better',
      comparable: COMPARABLE.has(k),
      rationale:
        k === 'concerning' && typeof judge?.justification === 'string'
          ? judge.justification
          : typeof descriptions[k] === 'string'
            ? `Rubric: ${oneLine(descriptions[k], 400)}`
            : '',
    }));
  if (Array.isArray(judge?.highlights) && judge.highlights.length > 0)
    dropped.push(
      `metadata.judge_output.highlights: ${judge.highlights.length} cited passage(s); the justification is kept`,
    );
  if (Array.isArray((doc.value as Record<string, unknown>).messages))
    dropped.push(
      "messages: the auditor's own conversation (its plan and tool calls): only the target's side is a transcript",
    );
  const sourceHash = itemHash(doc.value);
  const transcriptId = typeof meta.transcript_id === 'string' ? meta.transcript_id : file.replace(/\.json$/i, '');
  return {
    format: 'petri',
    file,
    behaviours: place.added,
    scenarios: [],
    skipped: [],
    transcripts: [
      {
        item: file,
        format: 'petri',
        sourceHash,
        ...auditedRun(meta),
        scenario: transcriptScenario({
          format: 'petri',
          item: file,
          sourceHash,
          name: seed.id ? `${seed.id}-${transcriptId}` : transcriptId,
          title: seed.input ? `Petri audit: ${oneLine(seed.input, 150)}` : `Petri audit ${transcriptId}`,
          summary: typeof judge?.summary === 'string' ? judge.summary : undefined,
          category: place.category,
          behavior: place.behavior,
          chat,
          toolDescriptions: read.toolDescriptions,
          notes: [
            `Imported Petri transcript ${file} (auditor ${String(meta.auditor_model ?? '?')}).`,
            seed.input ? `Seed instruction${seed.id ? ` ${seed.id}` : ''}: ${seed.input}` : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
        }),
        events: chat.events,
        scores,
        dropped,
      },
    ],
  };
}

/** The seed's id and input: a plain string, or the Python repr of a `{id, input, tags}` dict. */
function seedOf(raw: unknown): { id?: string; input?: string } {
  if (typeof raw !== 'string') return {};
  const parsed = raw.trimStart().startsWith('{') ? parsePythonLiteral(raw) : undefined;
  if (isRecord(parsed) && typeof parsed.input === 'string')
    return { id: typeof parsed.id === 'string' ? parsed.id : undefined, input: parsed.input };
  return { input: raw };
}
