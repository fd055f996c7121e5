import { readFileSync } from 'node:fs';
import { isMap, isSeq, stringify } from 'yaml';
import type { ImportReport } from '../../schema/api/import.ts';
import { TaxonomySchema, type Taxonomy } from '../../schema/taxonomy.ts';
import type { Redactor } from '../models/redact.ts';
import { writeFileAtomic } from '../scenarios/atomic-write.ts';
import { checkScenarioText } from '../scenarios/scenario.check.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { createScenario, readScenario } from '../scenarios/scenario.store.ts';
import { taxonomyPath } from '../taxonomy/taxonomy.load.ts';
import { loadYamlFile, parseYaml } from '../yaml/yaml-limits.ts';
import { ImportError, type ImportPlan } from './import.plan.ts';
import { importToolsInto } from './tools-into.writer.ts';
import { checkTranscripts, writeTranscripts } from './transcript.writer.ts';
import type { Db } from '../db/database.ts';

// Writes an import plan: all or nothing for the whole file. Every draft is checked with the
// project's scenario checker against the taxonomy as it will be (its new behaviours included)
// before anything is written; one failure and nothing is. Drafts go through the safe scenario
// writer (createScenario), the taxonomy through an atomic write that keeps its comments.
// Re-importing a file changes nothing: a scenario whose id exists with the same source content
// hash is "unchanged", one that differs (edited since, or a changed source) is kept as it is.

export type { ImportReport };

/** Blanks configured key values out of every text of a plan (the source may quote a provider's key). */
export function redactPlan(plan: ImportPlan, redact: Redactor): ImportPlan {
  return redactDeep(plan, redact);
}

/** Checks a plan completely and says what applying it would do; writes nothing. */
export async function previewImport(corpus: ScenarioCorpus, plan: ImportPlan): Promise<ImportReport> {
  return importPlan(corpus, plan, true);
}

/** Checks a plan completely, then writes it (or, with dryRun, only reports). Throws ImportError on a check failure. */
export async function importPlan(
  corpus: ScenarioCorpus,
  plan: ImportPlan,
  dryRun: boolean,
  db?: Db,
): Promise<ImportReport> {
  const taxonomy = structuredClone(corpus.taxonomy);
  const behaviours: ImportReport['behaviours'] = [];
  for (const add of plan.behaviours) {
    const present = taxonomy.categories
      .flatMap((c) => c.behaviours.map((b) => ({ b, c })))
      .find(({ b }) => b.id === add.behaviour.id);
    if (present) {
      behaviours.push({ item: add.item, id: add.behaviour.id, category: present.c.id, action: 'unchanged' });
      continue;
    }
    const category = taxonomy.categories.find((c) => c.id === add.category.id);
    if (category) category.behaviours.push(add.behaviour);
    else taxonomy.categories.push({ ...add.category, behaviours: [add.behaviour] });
    behaviours.push({ item: add.item, id: add.behaviour.id, category: add.category.id, action: 'add' });
  }
  const checkedTaxonomy = TaxonomySchema.safeParse(taxonomy);
  if (!checkedTaxonomy.success) {
    const issue = checkedTaxonomy.error.issues[0]!;
    throw new ImportError(plan.file, 'taxonomy', issue.path.join('.'), issue.message);
  }

  const scenarios: ImportReport['scenarios'] = [];
  const seen = new Set<string>();
  for (const planned of plan.scenarios) {
    if (seen.has(planned.id))
      throw new ImportError(plan.file, planned.item, 'id', `"${planned.id}" is produced by two items of this file`);
    seen.add(planned.id);
    const yaml = stringify(planned.scenario, { lineWidth: 0 });
    const { scenario, diagnostics } = checkScenarioText(yaml, { taxonomy, fileId: planned.id });
    const error = diagnostics.find((d) => d.severity === 'error');
    if (!scenario || error) {
      throw new ImportError(
        plan.file,
        planned.item,
        error?.path.join('.') ?? '',
        `the draft does not validate: ${error?.message ?? 'unknown problem'}`,
      );
    }
    const existing = await readScenario(corpus, planned.id);
    const entry = {
      item: planned.item,
      id: planned.id,
      dropped: planned.dropped,
      placeholders: planned.placeholders,
      yaml,
    };
    if (!existing) scenarios.push({ ...entry, action: 'create' });
    else if (hashOf(existing.content) === (planned.scenario.source as { content_hash?: string }).content_hash)
      scenarios.push({ ...entry, action: 'unchanged' });
    else
      scenarios.push({
        ...entry,
        action: 'kept',
        reason: `a scenario "${planned.id}" already exists (${existing.ref.relPath}) and differs from this item (edited since, or another source); it is not overwritten`,
      });
  }

  const transcripts = checkTranscripts(plan, taxonomy);
  if (transcripts.length > 0 && !db) throw new ImportError(plan.file, 'document', '', 'transcripts need the database');

  if (plan.toolsInto) {
    scenarios.push(await importToolsInto(corpus, plan.file, plan.toolsInto.id, plan.toolsInto.tools, dryRun));
  }
  const report: ImportReport = {
    format: plan.format,
    file: plan.file,
    dryRun,
    behaviours,
    scenarios,
    skipped: plan.skipped,
    transcripts: [],
  };
  if (dryRun) {
    if (db && transcripts.length) report.transcripts = await writeTranscripts(db, transcripts, true);
    return report;
  }
  if (behaviours.some((b) => b.action === 'add')) {
    writeTaxonomy(corpus.root, plan);
    await corpus.reloadTaxonomy();
  }
  for (const s of scenarios.filter((x) => x.action === 'create')) {
    const written = await createScenario(corpus, s.yaml);
    if (!written.ok) throw new ImportError(plan.file, s.item, 'id', `not written: ${written.message}`);
  }
  if (db && transcripts.length) report.transcripts = await writeTranscripts(db, transcripts, false);
  return report;
}

/** The source content hash recorded in a scenario file, if any. */
function hashOf(content: string): string | undefined {
  const parsed = parseYaml(content);
  if (parsed.problems.length > 0) return undefined;
  const hash = parsed.doc.getIn(['source', 'content_hash']);
  return typeof hash === 'string' ? hash : undefined;
}

/** Adds the plan's new behaviours (and categories) to taxonomy.yaml, keeping its comments and layout. */
export function writeTaxonomy(root: string, plan: Pick<ImportPlan, 'behaviours'>): void {
  const file = taxonomyPath(root);
  const parsed = parseYaml(readFileSync(file, 'utf8'));
  if (parsed.problems.length > 0) throw new ImportError(file, 'taxonomy', '', parsed.problems[0]!.message);
  const doc = parsed.doc;
  const categories = doc.get('categories', true);
  if (!isSeq(categories)) throw new ImportError(file, 'taxonomy', 'categories', 'is not a list');
  for (const add of plan.behaviours) {
    const current = doc.toJS() as Taxonomy;
    if (current.categories.some((c) => c.behaviours.some((b) => b.id === add.behaviour.id))) continue;
    const ci = current.categories.findIndex((c) => c.id === add.category.id);
    if (ci === -1) {
      categories.add(doc.createNode({ ...add.category, behaviours: [add.behaviour] }));
    } else {
      const list = doc.getIn(['categories', ci, 'behaviours'], true);
      if (!isSeq(list)) throw new ImportError(file, 'taxonomy', `categories.${ci}.behaviours`, 'is not a list');
      list.add(doc.createNode(add.behaviour));
    }
  }
  // lineWidth 0: the other entries keep their lines as written (the default would refold them at 80).
  const text = doc.toString({ lineWidth: 0 });
  TaxonomySchema.parse(loadYamlFile(text, file));
  writeFileAtomic(file, text);
}

function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object' && !isMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
