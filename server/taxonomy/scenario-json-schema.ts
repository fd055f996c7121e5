import { z } from 'zod';
import { ScenarioSchema } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';

type JsonSchema = Record<string, unknown>;

/**
 * The scenario JSON Schema for the editor (monaco-yaml), generated from zod, with the taxonomy's
 * ids filled in. `behavior` is offered per category: an if/then per category holds that category's
 * behaviours, so completion offers only those (all of them while the category is missing or
 * unknown). Each behaviour is its own `const` with a title and description rather than one `enum`:
 * hovering a value then describes that behaviour, where an enum's hover lists every allowed value.
 */
export function scenarioJsonSchema(taxonomy: Taxonomy): JsonSchema {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema & {
    properties: Record<string, JsonSchema>;
    allOf?: JsonSchema[];
  };
  const categories = taxonomy.categories;
  const fieldDoc = String(schema.properties.behavior!.description ?? 'The behaviour this scenario tests.');
  Object.assign(schema.properties.category!, {
    enum: categories.map((c) => c.id),
    enumDescriptions: categories.map((c) => `${c.name}: ${c.description}`),
  });
  // The field's own words move into each value's description: a hover on the key shows the value's.
  delete schema.properties.behavior!.description;

  const behaviourChoices = (only?: string) =>
    categories
      .filter((c) => only === undefined || c.id === only)
      .flatMap((c) =>
        c.behaviours
          .filter((b) => !b.retired)
          .map((b) => ({
            const: b.id,
            title: `${b.name} (${c.name})`,
            description: `${b.description}\n\n${fieldDoc}`,
          })),
      );
  const behaviourIn = (only?: string): JsonSchema => ({
    properties: { behavior: { type: 'string', anyOf: behaviourChoices(only) } },
  });
  schema.allOf = [
    ...(schema.allOf ?? []),
    ...categories.map((c) => ({
      if: { properties: { category: { const: c.id } }, required: ['category'] },
      then: behaviourIn(c.id),
    })),
    {
      if: { properties: { category: { enum: categories.map((c) => c.id) } }, required: ['category'] },
      else: behaviourIn(),
    },
  ];
  return schema;
}
