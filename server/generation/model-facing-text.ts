/**
 * What the target model reads of a scenario (system prompt, documents, tools, scripted turns,
 * escalation plan), as one text: what near-duplicate detection compares. The rubric, title and
 * notes are left out: two scenarios that read the same to the model are duplicates whatever
 * their rubrics say.
 */
export function modelFacingText(scenario: ModelFacingParts): string {
  const parts: string[] = [scenario.target.system];
  for (const doc of scenario.target.context ?? []) parts.push(doc.title, doc.content);
  for (const tool of scenario.tools ?? []) parts.push(tool.name.replace(/[_-]/g, ' '), tool.description);
  for (const turn of scenario.turns) parts.push(turn.content);
  if (scenario.escalation) parts.push(scenario.escalation.plan);
  return parts.join('\n');
}

/** The parts of a scenario the target model reads (a Scenario has them all). */
export interface ModelFacingParts {
  target: { system: string; context?: { title: string; content: string }[] };
  tools?: { name: string; description: string }[];
  turns: { content: string }[];
  escalation?: { plan: string };
}
