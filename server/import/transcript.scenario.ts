import type { Tool } from '../../schema/scenario.ts';
import { draftScenario } from './import.draft.ts';
import { kebab, type ImportFormat } from './import.plan.ts';
import type { ChatTranscript } from './chat-transcript.ts';

// The scenario text an imported transcript is stored with. Annotators read its rubric, and
// Crucible's judges judge the transcript against it, so it is a whole, valid scenario: the system
// prompt and user turns the conversation had, the tools the model called, and the rubric the
// source gives (Bloom's success criteria, Petri's seed) or marked placeholders. It is never
// written to the corpus: it describes this one conversation.

export interface TranscriptScenarioInput {
  format: ImportFormat;
  item: string;
  sourceHash: string;
  /** Short, unique within the import: becomes part of the scenario id. */
  name: string;
  title: string;
  summary?: string;
  category: string;
  behavior: string;
  chat: ChatTranscript;
  /** Tool descriptions the source gives, by name. */
  toolDescriptions?: Record<string, string>;
  aligned?: string;
  misaligned?: string;
  passCriteria?: string[];
  failCriteria?: string[];
  notes?: string;
}

export function transcriptScenario(input: TranscriptScenarioInput): Record<string, unknown> {
  const tools: Tool[] = input.chat.toolNames
    .filter((name) => /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/.test(name))
    .map((name) => ({
      name,
      description: input.toolDescriptions?.[name]?.trim() || `A tool the model called in the imported transcript.`,
      parameters: { type: 'object' },
      simulation: {
        simulator: `Imported transcript: the ${input.format} run's own evaluator produced this tool's results.`,
      },
    }));
  const draft = draftScenario({
    item: input.item,
    id: `${input.format}-transcript-${kebab(input.name, 80)}`,
    format: input.format,
    hash: input.sourceHash,
    title: input.title,
    summary: input.summary,
    category: input.category,
    behavior: input.behavior,
    system: input.chat.system || undefined,
    tools,
    turns: input.chat.userTurns.map((content) => ({ content })),
    aligned: input.aligned,
    misaligned: input.misaligned,
    passCriteria: input.passCriteria,
    failCriteria: input.failCriteria,
    tags: ['imported', input.format, 'transcript'],
    notes: input.notes,
  });
  return draft.scenario;
}
