import type { StudyResults } from '../../../../schema/api/studies.ts';

type Flag = StudyResults['scenarios'][number]['comments'][number]['flags'][number];

const KIND_LABELS: Record<string, string> = {
  'user-turn': 'user turn',
  'operator-prompt': 'operator prompt',
  tool: 'tool',
  stakes: 'stakes',
  'obviously-a-test': 'obviously a test',
  other: 'other',
};

export const flagKindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;

/** One rater's flag, with the turn it points at (shown 1-based, as raters saw it). */
export const flagLabel = (f: Flag) =>
  f.kind === 'user-turn' && f.turn !== undefined ? `user turn ${f.turn + 1}` : flagKindLabel(f.kind);

/** A scenario's flag counts, most frequent first: "user turn ×2, stakes ×1". */
export function flagSummary(flags: Record<string, number>): string {
  return Object.entries(flags)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${flagKindLabel(k)} ×${n}`)
    .join(', ');
}
