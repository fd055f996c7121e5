import type { Taxonomy } from '../../schema/taxonomy.ts';
import type { ScenarioRealism } from './release.realism.ts';
import type { ReleasedScenario } from './release.scenarios.ts';

// The datasheet of a release (after Gebru et al., "Datasheets for Datasets"): what is in it
// (counts per category and behaviour, difficulty), where it came from (provenance: written here,
// imported from which tool, auditor seeds, generated), how realistic humans found it, and the
// limits a reader must know. JSON for tools, markdown for people; both from the same figures.

export interface Datasheet {
  name: string;
  version: number;
  scope: string;
  scenarios: number;
  categories: {
    id: string;
    name: string;
    scenarios: number;
    behaviours: { id: string; name: string; scenarios: number }[];
  }[];
  difficulty: Record<string, number>;
  /** source.kind (`unstated` when a scenario has no source), and for imported scenarios the format. */
  provenance: Record<string, number>;
  realism: { rated: number; unrated: number; validated: number; meanOfMeans: number | null };
  judgeVersions: number;
  leaderboardRuns: number;
  knownLimits: string[];
}

export function buildDatasheet(input: {
  name: string;
  version: number;
  scope: string;
  taxonomy: Taxonomy;
  scenarios: readonly ReleasedScenario[];
  realism: readonly ScenarioRealism[];
  judgeVersions: number;
  leaderboardRuns: number;
}): Datasheet {
  const { scenarios, taxonomy, realism } = input;
  const count = (f: (s: ReleasedScenario) => boolean) => scenarios.filter(f).length;
  const categories = taxonomy.categories
    .map((c) => ({
      id: c.id,
      name: c.name,
      scenarios: count((s) => s.category === c.id),
      behaviours: c.behaviours
        .filter((b) => !('retired' in b && b.retired))
        .map((b) => ({ id: b.id, name: b.name, scenarios: count((s) => s.behavior === b.id) })),
    }))
    .filter((c) => c.scenarios > 0 || c.behaviours.length > 0);
  const difficulty: Record<string, number> = {};
  const provenance: Record<string, number> = {};
  for (const s of scenarios) {
    difficulty[s.difficulty] = (difficulty[s.difficulty] ?? 0) + 1;
    const source = (s.doc.source ?? {}) as { kind?: string; format?: string };
    const kind = source.kind ?? 'unstated';
    const key = kind === 'imported' && source.format ? `imported:${source.format}` : kind;
    provenance[key] = (provenance[key] ?? 0) + 1;
  }
  const rated = realism.filter((r) => r.mean !== null);
  const meanOfMeans = rated.length
    ? Math.round((rated.reduce((a, r) => a + r.mean!, 0) / rated.length) * 1000) / 1000
    : null;
  const limits: string[] = [];
  const unrated = realism.length - rated.length;
  if (unrated > 0) limits.push(`${unrated} of ${scenarios.length} scenarios have no current realism rating.`);
  const thin = categories.flatMap((c) => c.behaviours.filter((b) => b.scenarios > 0 && b.scenarios < 3));
  if (thin.length)
    limits.push(`${thin.length} behaviour(s) have fewer than 3 scenarios: ${thin.map((b) => b.id).join(', ')}.`);
  const empty = categories.flatMap((c) => c.behaviours.filter((b) => b.scenarios === 0));
  if (empty.length)
    limits.push(
      `${empty.length} behaviour(s) of the taxonomy have no scenario in this release: ${empty.map((b) => b.id).join(', ')}.`,
    );
  const imported = Object.entries(provenance)
    .filter(([k]) => k !== 'hand-written' && k !== 'unstated')
    .reduce((a, [, n]) => a + n, 0);
  if (imported)
    limits.push(
      `${imported} scenario(s) were imported, seeded or generated rather than written here (see provenance).`,
    );
  if (input.leaderboardRuns === 0) limits.push('No completed benchmark run: the leaderboard is empty.');
  limits.push(
    'Scores come from LLM judges; their agreement with human raters is measured on the calibration page, not in this release.',
  );
  limits.push('Scenarios are English text and simulated tools; they probe behaviour under pressure, not capability.');
  return {
    name: input.name,
    version: input.version,
    scope: input.scope,
    scenarios: scenarios.length,
    categories,
    difficulty,
    provenance,
    realism: { rated: rated.length, unrated, validated: realism.filter((r) => r.validated).length, meanOfMeans },
    judgeVersions: input.judgeVersions,
    leaderboardRuns: input.leaderboardRuns,
    knownLimits: limits,
  };
}

export function datasheetMarkdown(d: Datasheet): string {
  const lines = [
    `# Datasheet: ${d.name} (version ${d.version})`,
    '',
    `Scope: ${d.scope}. ${d.scenarios} scenarios over ${d.categories.length} categories.`,
    '',
    '## Composition',
    '',
    '| category | behaviour | scenarios |',
    '| --- | --- | ---: |',
  ];
  for (const c of d.categories) {
    lines.push(`| **${c.name}** (\`${c.id}\`) | | **${c.scenarios}** |`);
    for (const b of c.behaviours) lines.push(`| | ${b.name} (\`${b.id}\`) | ${b.scenarios} |`);
  }
  lines.push(
    '',
    `Difficulty: ${
      Object.entries(d.difficulty)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }.`,
  );
  lines.push('', '## Provenance', '');
  for (const [k, n] of Object.entries(d.provenance).sort()) lines.push(`- ${k}: ${n}`);
  lines.push(
    '',
    '## Realism',
    '',
    `${d.realism.rated} scenarios rated (mean of their mean ratings ${d.realism.meanOfMeans ?? '-'} on 1-5), ${d.realism.unrated} unrated, ${d.realism.validated} validated. Per scenario: realism.json.`,
    '',
    '## Judges and results',
    '',
    `${d.judgeVersions} judge version(s) (judges.json); ${d.leaderboardRuns} completed run(s) (leaderboard.json, with their run ids).`,
    '',
    '## Known limits',
    '',
    ...d.knownLimits.map((l) => `- ${l}`),
    '',
  );
  return lines.join('\n');
}
