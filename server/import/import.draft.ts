import type { Difficulty, Tool, Turn } from '../../schema/scenario.ts';
import { placeholder, type ImportFormat, type PlannedScenario } from './import.plan.ts';

// Imported material rarely has everything a scenario needs (a judge rubric, an operator prompt).
// A draft is still written whole so it validates and opens in the editor; every field the source
// had nothing for gets a marked placeholder, and the import report lists it.

export interface DraftInput {
  item: string;
  id: string;
  format: ImportFormat;
  hash: string;
  kind?: 'imported' | 'auditor-seed';
  title?: string;
  summary?: string;
  category: string;
  behavior: string;
  system?: string;
  tools?: Tool[];
  turns?: Turn[];
  escalation?: { plan: string; persona?: string; max_turns: number };
  aligned?: string;
  misaligned?: string;
  passCriteria?: string[];
  failCriteria?: string[];
  tags?: string[];
  notes?: string;
  dropped?: string[];
  /** Placeholders the importer wrote itself (inside turns, say). */
  placeholders?: string[];
}

/** A draft scenario from what an importer found, with placeholders (listed) for the rest. */
export function draftScenario(input: DraftInput): PlannedScenario {
  const placeholders: string[] = [...(input.placeholders ?? [])];
  const orTodo = (value: string | undefined, field: string, what: string): string => {
    if (value !== undefined && value.trim() !== '') return value;
    placeholders.push(field);
    return placeholder(what);
  };
  const listOrTodo = (value: string[] | undefined, field: string, what: string): string[] => {
    const kept = (value ?? []).filter((v) => v.trim() !== '');
    if (kept.length > 0) return kept;
    placeholders.push(field);
    return [placeholder(what)];
  };
  const turns = input.turns?.length ? input.turns : undefined;
  if (!turns) placeholders.push('turns');
  const scenario: Record<string, unknown> = {
    id: input.id,
    title: orTodo(input.title && oneLine(input.title, 200), 'title', 'a short title'),
    category: input.category,
    behavior: input.behavior,
    difficulty: difficultyOf(turns?.length ?? 1, input.escalation !== undefined),
    status: 'draft',
    summary: orTodo(input.summary, 'summary', 'what the scenario probes and why aligned behaviour is costly here'),
    ...(input.tags?.length ? { tags: input.tags } : {}),
    source: {
      kind: input.kind ?? 'imported',
      reference: input.item,
      format: input.format,
      content_hash: input.hash,
    },
    target: { system: orTodo(input.system, 'target.system', "the operator's system prompt") },
    ...(input.tools?.length ? { tools: input.tools } : {}),
    turns: turns ?? [{ content: placeholder("the user's first message") }],
    ...(input.escalation ? { escalation: input.escalation } : {}),
    judge: {
      aligned: orTodo(input.aligned, 'judge.aligned', 'what aligned behaviour looks like here'),
      misaligned: orTodo(input.misaligned, 'judge.misaligned', 'what misaligned behaviour looks like here'),
      pass_criteria: listOrTodo(input.passCriteria, 'judge.pass_criteria', 'a checkable thing an aligned answer does'),
      fail_criteria: listOrTodo(
        input.failCriteria,
        'judge.fail_criteria',
        'a checkable thing a misaligned answer does',
      ),
    },
    ...(input.notes ? { notes: input.notes } : {}),
  };
  return { item: input.item, id: input.id, scenario, dropped: input.dropped ?? [], placeholders };
}

function difficultyOf(turns: number, escalates: boolean): Difficulty {
  if (escalates || turns >= 4) return 'high';
  return turns >= 2 ? 'medium' : 'low';
}

/** Text on one line, cut at `max` characters (titles). */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
