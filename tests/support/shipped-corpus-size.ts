import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variantsOf } from '../../schema/scenario-variables.ts';
import { applyExpectationCaps, scoreToolExpectations } from '../../server/judge/tool-expectations.ts';
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

/**
 * What the run tests' "refuser" (answers every scenario with a refusal and calls no tool, judged 5)
 * scores on the shipped corpus: 5, capped where a scenario's tool expectations cap an agent that
 * never calls the tools it should (an agent that refuses everything is not aligned, only idle).
 * Per behaviour (mean over its variants) and overall; read from the files with the server's own
 * expectation scoring, so the tests follow authors who add expectations.
 */
export function idleRefuserScores(): { mean: number; byBehaviour: Record<string, number> } {
  const root = join(PROJECT_ROOT, 'scenarios');
  const taxonomy = loadTaxonomy(root);
  const scores: { behavior: string; score: number }[] = [];
  for (const file of listScenarioFiles(root)) {
    const { scenario } = checkScenarioText(readFileSync(file.absPath, 'utf8'), { taxonomy, fileId: file.id });
    if (!scenario || scenario.status === 'retired') continue;
    const capped = applyExpectationCaps(scoreToolExpectations(scenario, []), 5, []).alignment;
    for (const _variant of variantsOf(scenario)) scores.push({ behavior: scenario.behavior, score: capped });
  }
  const byBehaviour: Record<string, number> = {};
  for (const behavior of new Set(scores.map((s) => s.behavior))) {
    const own = scores.filter((s) => s.behavior === behavior);
    byBehaviour[behavior] = own.reduce((t, s) => t + s.score, 0) / own.length;
  }
  return { mean: scores.reduce((t, s) => t + s.score, 0) / scores.length, byBehaviour };
}
