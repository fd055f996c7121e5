import { Hono } from 'hono';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { countScenariosByBehavior } from '../scenarios/scenario.repository.ts';
import { scenarioJsonSchema } from './scenario-json-schema.ts';

export function taxonomyRoutes(corpus: ScenarioCorpus) {
  return (
    new Hono()
      // GET /api/taxonomy: categories and behaviours with scenario counts
      .get('/', async (c) => {
        const counts = await countScenariosByBehavior(corpus.db);
        const categories = corpus.taxonomy.categories.map((cat) => ({
          ...cat,
          behaviours: cat.behaviours.map((b) => ({ ...b, scenarioCount: counts[b.id] ?? 0 })),
        }));
        return c.json({ categories }, 200);
      })
      // GET /api/taxonomy/scenario-schema: JSON Schema (draft 2020-12) for monaco-yaml
      .get('/scenario-schema', (c) => c.json(scenarioJsonSchema(corpus.taxonomy), 200))
  );
}
