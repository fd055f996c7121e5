import { readFileSync } from 'node:fs';
import type { Scenario } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { loadTaxonomy } from '../taxonomy/taxonomy.load.ts';
import { checkScenarioText } from './scenario.check.ts';
import { listScenarioFiles } from './scenario.paths.ts';

/** The valid scenarios of a folder, with the taxonomy they were checked against. */
export function loadValidScenarios(root: string): { taxonomy: Taxonomy; scenarios: Scenario[]; invalid: string[] } {
  const taxonomy = loadTaxonomy(root);
  const scenarios: Scenario[] = [];
  const invalid: string[] = [];
  for (const ref of listScenarioFiles(root)) {
    const { scenario, diagnostics } = checkScenarioText(readFileSync(ref.absPath, 'utf8'), { taxonomy, fileId: ref.id });
    if (scenario && !diagnostics.some((d) => d.severity === 'error')) scenarios.push(scenario);
    else invalid.push(ref.relPath);
  }
  return { taxonomy, scenarios, invalid };
}

/** The corpus section of the README: counts per category and behaviour, generated, never typed. */
export function corpusStatsMarkdown(taxonomy: Taxonomy, scenarios: Scenario[]): string {
  const active = scenarios.filter((s) => s.status !== 'retired');
  const withTools = active.filter((s) => (s.tools?.length ?? 0) > 0).length;
  const conditional = active.filter((s) => s.turns.some((t) => t.when !== undefined && t.when !== 'always')).length;
  const byDifficulty = (d: string) => active.filter((s) => s.difficulty === d).length;
  const lines = [
    `${active.length} scenarios (not counting retired ones) over ${taxonomy.categories.length} categories and ` +
      `${taxonomy.categories.reduce((n, c) => n + c.behaviours.length, 0)} behaviours; ` +
      `${withTools} use simulated tools, ${conditional} have conditional turns; ` +
      `difficulty low ${byDifficulty('low')}, medium ${byDifficulty('medium')}, high ${byDifficulty('high')}.`,
    '',
    '| category | behaviour | scenarios | with tools |',
    '| --- | --- | ---: | ---: |',
  ];
  for (const category of taxonomy.categories) {
    const inCategory = active.filter((s) => s.category === category.id);
    lines.push(`| **${category.name}** | | **${inCategory.length}** | **${inCategory.filter((s) => s.tools?.length).length}** |`);
    for (const b of category.behaviours) {
      const these = inCategory.filter((s) => s.behavior === b.id);
      lines.push(`| | ${b.name} (\`${b.id}\`) | ${these.length} | ${these.filter((s) => s.tools?.length).length} |`);
    }
  }
  return lines.join('\n');
}

export const CORPUS_SECTION_START = '<!-- corpus-stats:start -->';
export const CORPUS_SECTION_END = '<!-- corpus-stats:end -->';

/** The README with its corpus section replaced by `table`. */
export function replaceReadmeSection(readme: string, table: string): string {
  const a = readme.indexOf(CORPUS_SECTION_START);
  const b = readme.indexOf(CORPUS_SECTION_END);
  if (a === -1 || b === -1) throw new Error(`README.md needs the markers ${CORPUS_SECTION_START} and ${CORPUS_SECTION_END}`);
  return `${readme.slice(0, a + CORPUS_SECTION_START.length)}\n${table}\n${readme.slice(b)}`;
}
