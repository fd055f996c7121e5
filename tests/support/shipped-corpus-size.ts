import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variantsOf } from '../../schema/scenario-variables.ts';
import { checkScenarioText } from '../../server/scenarios/scenario.check.ts';
import { listScenarioFiles } from '../../server/scenarios/scenario.paths.ts';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { PROJECT_ROOT } from './test-server.ts';

/**
 * The shipped corpus's size as a run over all of it sees it: valid, non-retired scenarios, and
 * their variants (a run has an item per variant, model and repeat). Read from the files, so tests
 * follow the corpus as authors add scenarios or variables.
 */
export function shippedCorpusSize(): { scenarios: number; variants: number } {
  const root = join(PROJECT_ROOT, 'scenarios');
  const taxonomy = loadTaxonomy(root);
  let scenarios = 0;
  let variants = 0;
  for (const file of listScenarioFiles(root)) {
    const { scenario } = checkScenarioText(readFileSync(file.absPath, 'utf8'), { taxonomy, fileId: file.id });
    if (!scenario || scenario.status === 'retired') continue;
    scenarios++;
    variants += variantsOf(scenario).length;
  }
  return { scenarios, variants };
}
