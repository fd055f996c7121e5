import { isDeepStrictEqual } from 'node:util';
import { isSeq } from 'yaml';
import type { ImportReport } from '../../schema/api/import.ts';
import type { Tool } from '../../schema/scenario.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { readScenario, saveScenario } from '../scenarios/scenario.store.ts';
import { parseYaml } from '../yaml/yaml-limits.ts';
import { ImportError } from './import.plan.ts';

// OpenAI tool definitions added to an existing scenario (`import openai-tools <file> --into <id>`):
// appended to its `tools`, keeping the file's comments and layout, through the safe save (based on
// the version read, refused if the file changed meanwhile). A tool already there with the same
// definition is left alone (importing twice changes nothing); one with the same name and another
// definition is an error, and nothing is written.

/** Adds the tools to scenario `id`, or (dryRun) says what it would do. */
export async function importToolsInto(
  corpus: ScenarioCorpus,
  file: string,
  id: string,
  tools: Tool[],
  dryRun: boolean,
): Promise<ImportReport['scenarios'][number]> {
  const current = await readScenario(corpus, id);
  if (!current) throw new ImportError('options', 'into', id, 'no scenario with this id');
  const parsed = parseYaml(current.content);
  if (parsed.problems.length > 0)
    throw new ImportError(current.ref.relPath, 'scenario', '', parsed.problems[0]!.message);
  const doc = parsed.doc;
  const existing = (doc.toJS() as { tools?: Tool[] }).tools ?? [];
  const added: Tool[] = [];
  for (const tool of tools) {
    const same = existing.find((t) => t.name === tool.name);
    if (!same) added.push(tool);
    else if (!isDeepStrictEqual(same.parameters, tool.parameters) || same.description !== tool.description) {
      throw new ImportError(
        file,
        `tool ${tool.name}`,
        'name',
        `scenario "${id}" already has a different tool "${tool.name}"`,
      );
    }
  }
  const base = { item: `${file}#tools`, id, dropped: [], placeholders: [] };
  if (added.length === 0) return { ...base, action: 'unchanged', yaml: current.content };
  if (!isSeq(doc.get('tools', true))) doc.set('tools', doc.createNode([]));
  for (const tool of added) doc.addIn(['tools'], doc.createNode(tool));
  const next = doc.toString({ lineWidth: 0 });
  const { scenario, diagnostics } = checkScenarioText(next, { taxonomy: corpus.taxonomy, fileId: id });
  const error = diagnostics.find((d) => d.severity === 'error');
  if (!scenario || error) {
    throw new ImportError(
      file,
      `scenario ${id}`,
      error?.path.join('.') ?? '',
      `with the tools it does not validate: ${error?.message}`,
    );
  }
  const report = {
    ...base,
    action: 'update' as const,
    reason: `adds ${added.map((t) => t.name).join(', ')}`,
    yaml: next,
  };
  if (dryRun) return report;
  const saved = await saveScenario(corpus, id, next, current.hash);
  if (!saved.ok) throw new ImportError(current.ref.relPath, `scenario ${id}`, '', `not saved: ${saved.message}`);
  return report;
}
