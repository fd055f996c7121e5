import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../server/taxonomy/taxonomy.load.ts';
import { scenarioJsonSchema } from '../../server/taxonomy/scenario-json-schema.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// The editor's hover docs and completion come from the zod descriptions, through the JSON Schema
// given to monaco-yaml: every new field and each matcher operator carries its description there.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking a generated JSON Schema of any shape
type Node = Record<string, any>;
const schema = scenarioJsonSchema(loadTaxonomy(`${PROJECT_ROOT}/scenarios`)) as Node;
const defs = (schema.$defs ?? {}) as Record<string, Node>;
const deref = (n: Node): Node => (typeof n.$ref === 'string' ? deref(defs[n.$ref.split('/').pop()!]!) : n);
const prop = (n: Node, ...keys: string[]): Node =>
  keys.reduce((node, k) => {
    const d = deref(node);
    const inner = d.properties?.[k] ?? d.items?.properties?.[k] ?? deref(d.items ?? {}).properties?.[k];
    if (!inner) throw new Error(`no ${k} in ${JSON.stringify(Object.keys(d.properties ?? d.items?.properties ?? {}))}`);
    return inner as Node;
  }, n);

describe('the scenario JSON Schema (editor hover docs and completion)', () => {
  it('describes state, effects and expectations', () => {
    expect(prop(schema, 'state').description).toMatch(/^State across tool calls/);
    expect(prop(schema, 'state', 'initial').description).toMatch(/The state before the first call/);
    const effects = prop(schema, 'tools', 'effects');
    expect(effects.description).toMatch(/What a successful call of this tool changes/);
    expect(prop(effects, 'remove').description).toMatch(/Remove the key or list element/);
    const expectations = prop(schema, 'judge', 'expectations');
    expect(expectations.description).toMatch(/scored deterministically before the LLM judge/);
    expect(prop(expectations, 'expected', 'cap').description).toMatch(/a required call missing scores at most 2/);
    expect(prop(expectations, 'forbidden', 'cap').description).toMatch(/default \{max: 1\}/);
    expect(prop(schema, 'judge', 'red_flags', 'arguments').description).toMatch(/Matchers per argument/);
  });

  it('offers each matcher operator, with its description', () => {
    const matchers = prop(schema, 'judge', 'expectations', 'expected', 'arguments');
    const matcher = deref(matchers.additionalProperties as Node);
    const operators = (matcher.anyOf as Node[])
      .map(deref)
      .filter((o) => o.type === 'object' && o.properties)
      .map((o) => [Object.keys(o.properties)[0], String(o.description).split(':')[0]]);
    expect(operators).toEqual([
      ['equals', 'equals'],
      ['contains', 'contains'],
      ['regex', 'regex'],
      ['range', 'range'],
      ['one_of', 'one_of'],
      ['path_ends_with', 'path_ends_with'],
      ['not', 'not'],
    ]);
  });
});
