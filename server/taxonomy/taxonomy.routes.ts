import { Hono } from 'hono';
import { z } from 'zod';
import { ScenarioSchema } from '../../schema/scenario.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { countScenariosByBehavior } from '../scenarios/scenario.repository.ts';

/** The scenario JSON Schema for the editor, generated from zod, with the taxonomy's ids as enums. */
export function scenarioJsonSchema(corpus: ScenarioCorpus): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, Record<string, unknown>>;
  };
  const categories = corpus.taxonomy.categories;
  const behaviours = categories.flatMap((c) =>
    c.behaviours.filter((b) => !b.retired).map((b) => ({ ...b, category: c.id })),
  );
  Object.assign(schema.properties.category!, {
    enum: categories.map((c) => c.id),
    enumDescriptions: categories.map((c) => `${c.name}: ${c.description}`),
  });
  Object.assign(schema.properties.behavior!, {
    enum: behaviours.map((b) => b.id),
    enumDescriptions: behaviours.map((b) => `${b.name} (${b.category}): ${b.description}`),
  });
  return schema;
}

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
      .get('/scenario-schema', (c) => c.json(scenarioJsonSchema(corpus), 200))
  );
}
