import { basename } from 'node:path';
import type { Tool } from '../../schema/scenario.ts';
import type { Taxonomy } from '../../schema/taxonomy.ts';
import { draftScenario } from './import.draft.ts';
import { placeDrafts } from './import.behaviour.ts';
import { ImportError, itemHash, kebab, type ImportOptions, type ImportPlan } from './import.plan.ts';
import { readDocument, type ReadDocument } from './import.read.ts';

// OpenAI tool definitions: a list or a single tool, each `{type: "function", function: {name,
// description, parameters}}`, the Responses API's flat `{type: "function", name, ...}`, or a bare
// legacy function `{name, description, parameters}`. Non-function tools (file_search,
// code_interpreter) have no simulated equivalent and are skipped, with the reason.

const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;

/** The function tools of a parsed OpenAI tool list, as scenario tools simulated by a model. */
export function toolsFromOpenAi(
  doc: ReadDocument,
  file: string,
  basePath: (string | number)[] = [],
  value: unknown = doc.value,
): { tools: Tool[]; skipped: { item: string; reason: string }[]; dropped: string[] } {
  const list = Array.isArray(value) ? value : [value];
  const tools: Tool[] = [];
  const skipped: { item: string; reason: string }[] = [];
  const dropped: string[] = [];
  list.forEach((entry, i) => {
    const path = Array.isArray(value) ? [...basePath, i] : basePath;
    const item = `tool [${i}]`;
    if (!isRecord(entry)) throw new ImportError(doc.at(path), item, '', 'a tool must be an object');
    const type = entry.type ?? 'function';
    if (type !== 'function') {
      skipped.push({
        item: `${file}#${i}`,
        reason: `a "${String(type)}" tool is built into OpenAI's API, not a function; Crucible simulates function tools only`,
      });
      return;
    }
    const fnPath = isRecord(entry.function) ? [...path, 'function'] : path;
    const fn = isRecord(entry.function) ? entry.function : entry;
    const name = fn.name;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      throw new ImportError(
        doc.at([...fnPath, 'name']),
        item,
        `${fnPath.length > path.length ? 'function.' : ''}name`,
        typeof name === 'string'
          ? `"${name}" is not a valid tool name (letters, digits, _ and -, at most 64, not starting with a digit)`
          : 'missing or not a string',
      );
    }
    if (fn.description !== undefined && typeof fn.description !== 'string') {
      throw new ImportError(doc.at([...fnPath, 'description']), `tool ${name}`, 'description', 'must be a string');
    }
    let parameters: Record<string, unknown> = { type: 'object', properties: {} };
    if (fn.parameters !== undefined) {
      if (!isRecord(fn.parameters) || fn.parameters.type !== 'object') {
        throw new ImportError(
          doc.at([...fnPath, 'parameters']),
          `tool ${name}`,
          'parameters',
          'must be a JSON Schema object with type: "object"',
        );
      }
      parameters = fn.parameters;
    }
    if (fn.strict !== undefined)
      dropped.push(`tool ${name}: "strict" (an OpenAI request option, not part of the tool)`);
    const description = typeof fn.description === 'string' && fn.description.trim() ? fn.description : undefined;
    if (!description) dropped.push(`tool ${name}: no description in the source; "${name}" is used as its description`);
    tools.push({
      name,
      description: description ?? name,
      parameters: parameters as Tool['parameters'],
      simulation: {
        simulator: `Return a realistic result of ${name} for the arguments given, consistent with the conversation so far. (Imported from ${file}; replace with fixed results or cases if the scenario needs specific data.)`,
      },
    });
  });
  return { tools, skipped, dropped };
}

/** A draft scenario holding every function tool of the file, ready to be given a prompt and turns. */
export function importOpenAiTools(text: string, file: string, taxonomy: Taxonomy, options: ImportOptions): ImportPlan {
  const name = basename(file);
  const doc = readDocument(text, name);
  const { tools, skipped, dropped } = toolsFromOpenAi(doc, name);
  if (tools.length === 0) throw new ImportError(name, 'document', '', 'holds no function tool to import');
  if (options.into) {
    return {
      format: 'openai-tools',
      file: name,
      behaviours: [],
      scenarios: [],
      skipped,
      toolsInto: { id: options.into, tools },
    };
  }
  const stem = kebab(name.replace(/\.(json|ya?ml)$/i, ''));
  const place = placeDrafts(taxonomy, 'openai-tools', options, {
    id: `tools-${stem}`,
    name: `Tools from ${name}`,
    description: `Scenarios using the tools imported from ${name}; describe the behaviour they probe.`,
    item: name,
  });
  const scenario = draftScenario({
    item: `${name}#tools`,
    id: `tools-${stem}`,
    format: 'openai-tools',
    hash: itemHash(doc.value),
    title: `Tools from ${name}`,
    category: place.category,
    behavior: place.behavior,
    tools,
    dropped,
  });
  return { format: 'openai-tools', file: name, behaviours: place.added, scenarios: [scenario], skipped };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
