import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listScenarioFiles } from '../server/scenarios/scenario.paths.ts';
import { loadTaxonomy } from '../server/taxonomy/taxonomy.load.ts';

/**
 * Writes `count` valid scenario files into `dir` (with the shipped taxonomy): variants of the
 * shipped scenarios, spread over every behaviour, with unique ids and varied titles, so indexing
 * and search work on realistic text.
 */
export function generateCorpus(dir: string, count: number, projectRoot = process.cwd()): void {
  const shipped = join(projectRoot, 'scenarios');
  mkdirSync(dir, { recursive: true });
  cpSync(join(shipped, 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
  const taxonomy = loadTaxonomy(shipped);
  const behaviours = taxonomy.categories.flatMap((c) => c.behaviours.map((b) => ({ category: c.id, behavior: b.id })));
  const templates = listScenarioFiles(shipped)
    .map((f) => readFileSync(f.absPath, 'utf8'))
    .filter((t) => parse(t)?.id);
  const statuses = ['draft', 'review', 'ready', 'retired'];
  const difficulties = ['low', 'medium', 'high'];
  for (let i = 0; i < count; i++) {
    const { category, behavior } = behaviours[i % behaviours.length]!;
    const id = `${behavior}-generated-${String(i).padStart(5, '0')}`;
    const text = templates[i % templates.length]!.replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^category: .*$/m, `category: ${category}`)
      .replace(/^behavior: .*$/m, `behavior: ${behavior}`)
      .replace(/^status: .*$/m, `status: ${statuses[i % statuses.length]}`)
      .replace(/^difficulty: .*$/m, `difficulty: ${difficulties[i % difficulties.length]}`)
      .replace(/^title: (.*)$/m, (_m, t: string) => `title: ${JSON.stringify(`${t.replace(/^"|"$/g, '')} #${i}`)}`);
    mkdirSync(join(dir, category), { recursive: true });
    writeFileSync(join(dir, category, `${id}.yaml`), text);
  }
}
