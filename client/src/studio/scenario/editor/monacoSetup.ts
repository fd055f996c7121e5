// Monaco, cut down to the editor core and YAML (the full package adds ~16 MB of languages and
// workers), with monaco-yaml validating against the scenario JSON Schema served by the API.
// Imported only from the lazy editor chunk.
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { configureMonacoYaml, type MonacoYaml, type MonacoYamlOptions } from 'monaco-yaml';
import YamlWorker from './yaml.worker.ts?worker';

self.MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) => (label === 'yaml' ? new YamlWorker() : new EditorWorker()),
};

export { monaco };

/** Owner of the markers built from the server's diagnostics (monaco-yaml uses "yaml"). */
export const SERVER_MARKER_OWNER = 'crucible';
export const YAML_MARKER_OWNER = 'yaml';

const SCHEMA_URI = 'https://crucible.invalid/schemas/scenario.schema.json';

let monacoYaml: MonacoYaml | null = null;

/**
 * yaml-language-server compares a numeric YAML key (`1:` in judge.anchors) with the schema's
 * string property names and finds no match, so `additionalProperties: false` flags every anchor
 * as "not allowed". Drop that one constraint where property names are numbers; the server's
 * check (problems panel and its own markers) still rejects unknown keys there.
 */
function withNumericKeysAllowed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNumericKeysAllowed);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withNumericKeysAllowed(v);
  const props = out.properties;
  if (
    out.additionalProperties === false &&
    props &&
    typeof props === 'object' &&
    Object.keys(props).some((k) => /^\d+$/.test(k))
  ) {
    delete out.additionalProperties;
  }
  return out;
}

/** Points monaco-yaml at the scenario schema (first call configures it, later calls update it). */
export function applyScenarioSchema(rawSchema: Record<string, unknown>): void {
  const schema = withNumericKeysAllowed(rawSchema) as Record<string, unknown>;
  const options: MonacoYamlOptions = {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: [{ uri: SCHEMA_URI, fileMatch: ['**/*.scenario.yaml'], schema }],
  };
  if (monacoYaml) void monacoYaml.update(options);
  else monacoYaml = configureMonacoYaml(monaco, options);
}

/** The model URI of a scenario: matched by the schema's fileMatch. */
export const scenarioModelUri = (id: string) => monaco.Uri.parse(`file:///scenarios/${id}.scenario.yaml`);
