import type { ReleasedScenario } from './release.scenarios.ts';

// One line of scenarios.jsonl: an Inspect dataset sample, so `json_dataset("scenarios.jsonl")`
// reads the release with Inspect's default field names. `input` is what the model receives first
// (the operator's system prompt and the first user turn, as chat messages); `target` the pass
// criteria (a model_graded scorer reads them); `id` the scenario id; `metadata` everything else,
// the whole scenario included, so a Crucible-aware solver can play the later (conditional) turns,
// simulate the tools and judge with the rubric. See README, "Import and release".

export interface InspectSample {
  id: string;
  input: { role: 'system' | 'user'; content: string }[];
  target: string[];
  metadata: {
    category: string;
    behavior: string;
    difficulty: string;
    status: string;
    content_hash: string;
    title: string;
    /** Scripted turns after the first: Inspect's input holds only the first. */
    later_turns: number;
    scenario: Record<string, unknown>;
  };
}

export function inspectSample(s: ReleasedScenario): InspectSample {
  const target = (s.doc.target ?? {}) as { system?: unknown };
  const turns = Array.isArray(s.doc.turns) ? (s.doc.turns as { content?: unknown; role?: unknown }[]) : [];
  const firstUser = turns.find((t) => (t.role ?? 'user') === 'user' && typeof t.content === 'string');
  const judge = (s.doc.judge ?? {}) as { pass_criteria?: unknown };
  return {
    id: s.id,
    input: [
      ...(typeof target.system === 'string' && target.system
        ? [{ role: 'system' as const, content: target.system }]
        : []),
      ...(firstUser ? [{ role: 'user' as const, content: String(firstUser.content) }] : []),
    ],
    target: Array.isArray(judge.pass_criteria) ? judge.pass_criteria.map(String) : [],
    metadata: {
      category: s.category,
      behavior: s.behavior,
      difficulty: s.difficulty,
      status: s.status,
      content_hash: s.contentHash,
      title: typeof s.doc.title === 'string' ? s.doc.title : '',
      later_turns: Math.max(0, turns.length - 1),
      scenario: s.doc,
    },
  };
}
