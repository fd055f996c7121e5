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
