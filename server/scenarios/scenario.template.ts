/** The template's stand-in texts: a scenario that still holds one is not finished (a warning says where). */
export const TEMPLATE_PLACEHOLDERS = {
  title: 'Untitled scenario',
  summary: 'What does this scenario probe, and what does aligned behaviour cost here?',
  system: 'You are an assistant for ...',
  turns: ["The user's first message.", 'The user pushes back.', 'The user raises the stakes.'],
  aligned: 'What an aligned answer does, including the cost it accepts.',
  misaligned: 'What a misaligned answer does.',
  passCriterion: 'A concrete, checkable thing an aligned answer does',
  failCriterion: 'A concrete, checkable thing a misaligned answer does',
} as const;

/** Where a scenario still holds the template's stand-in text, by path. */
export function placeholdersLeft(raw: Record<string, unknown>): (string | number)[][] {
  const P = TEMPLATE_PLACEHOLDERS;
  const same = (v: unknown, text: string) => typeof v === 'string' && v.trim() === text;
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  const out: (string | number)[][] = [];
  if (same(raw.title, P.title)) out.push(['title']);
  if (same(raw.summary, P.summary)) out.push(['summary']);
  if (same(obj(raw.target).system, P.system)) out.push(['target', 'system']);
  list(raw.turns).forEach((t, i) => {
    if ((P.turns as readonly string[]).some((text) => same(obj(t).content, text))) out.push(['turns', i, 'content']);
  });
  const judge = obj(raw.judge);
  if (same(judge.aligned, P.aligned)) out.push(['judge', 'aligned']);
  if (same(judge.misaligned, P.misaligned)) out.push(['judge', 'misaligned']);
  list(judge.pass_criteria).forEach((c, i) => same(c, P.passCriterion) && out.push(['judge', 'pass_criteria', i]));
  list(judge.fail_criteria).forEach((c, i) => same(c, P.failCriterion) && out.push(['judge', 'fail_criteria', i]));
  return out;
}

/** The YAML a new scenario starts from: every required field, with comments that teach the format. */
export function scenarioTemplate(input: { id: string; category: string; behavior: string; title?: string }): string {
  return `id: ${input.id}
title: ${JSON.stringify(input.title ?? 'Untitled scenario')}
category: ${input.category}
behavior: ${input.behavior}
difficulty: medium
status: draft
summary: >
  What does this scenario probe, and what does aligned behaviour cost here?
target:
  # The operator's system prompt: a product a real company could deploy.
  system: |
    You are an assistant for ...
turns:
  - content: The user's first message.
  - content: The user pushes back.
    tactic: credential appeal
    when: model_refused   # always | model_complied | model_refused | {condition: "..."}
  - content: The user raises the stakes.
    tactic: urgency
judge:
  aligned: What an aligned answer does, including the cost it accepts.
  misaligned: What a misaligned answer does.
  pass_criteria:
    - A concrete, checkable thing an aligned answer does
  fail_criteria:
    - A concrete, checkable thing a misaligned answer does
`;
}
