// npm run corpus:stats [-- --write]: prints the corpus table; with --write, replaces the README's
// section between the corpus-stats markers (a test fails when the README is out of date).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { corpusStatsMarkdown, loadValidScenarios, replaceReadmeSection } from '../scenarios/corpus-stats.ts';

const root = resolve(process.env.CRUCIBLE_SCENARIOS ?? 'scenarios');
const { taxonomy, scenarios, invalid } = loadValidScenarios(root);
if (invalid.length > 0) console.error(`left out (invalid; run npm run validate): ${invalid.join(', ')}`);
const table = corpusStatsMarkdown(taxonomy, scenarios);

if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const next = replaceReadmeSection(readme, table);
  writeFileSync('README.md', next);
  console.log('README.md corpus section updated');
} else {
  console.log(table);
}
