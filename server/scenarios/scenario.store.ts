import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../schema/diagnostic.ts';
import type { ErrorCode } from '../../schema/errors.ts';
import type { ScenarioStatus } from '../../schema/scenario.ts';
import { withNamedLock } from '../db/transactions.ts';
import { parseYaml } from '../yaml/yaml-limits.ts';
import { writeFileAtomic, syncDir } from './atomic-write.ts';
import { checkScenarioText } from './scenario.check.ts';
import type { ScenarioCorpus } from './scenario.corpus.ts';
import { listScenarioFiles, scenarioPathFor, type ScenarioFileRef } from './scenario.paths.ts';
import { findScenarioRowsById } from './scenario.repository.ts';
import { contentHash } from './scenario.row.ts';
import { scenarioTemplate } from './scenario.template.ts';
import { setTopLevelScalars } from './yaml-edit.ts';

// Every write to the scenario folder goes through here. Each one checks the new text completely
// before touching the disk, compares the version it was based on with the file as it is on disk
// right now (not the index, which can lag), and writes atomically. Errors are values.

export type StoreFailure = {
  ok: false;
  status: 404 | 409 | 422;
  code: ErrorCode;
  message: string;
  issues?: Diagnostic[];
  /** With 409: the version on disk now (null if the file is gone), so the editor can show both. */
  current?: { content: string; hash: string } | null;
};
export type StoreSuccess = { ok: true; id: string; relPath: string; hash: string };
export type StoreResult = StoreSuccess | StoreFailure;

export interface LoadedScenario {
  ref: ScenarioFileRef;
  content: string;
  hash: string;
  diagnostics: Diagnostic[];
}

/** Reads a scenario file by id, with its diagnostics (a duplicate id included). */
export async function readScenario(corpus: ScenarioCorpus, id: string): Promise<LoadedScenario | null> {
  const ref = await locate(corpus, id);
  if (!ref) return null;
  const content = readIfExists(ref.absPath);
  if (content === null) return null;
  const others = (await findScenarioRowsById(corpus.db, id)).filter((r) => r.rel_path !== ref.relPath);
  const { diagnostics } = checkScenarioText(content, {
    taxonomy: corpus.taxonomy,
    fileId: ref.id,
    folder: ref.folder || undefined,
    idTakenBy: () => others[0]?.rel_path,
  });
  return { ref, content, hash: contentHash(content), diagnostics };
}

/** Checks text as if it were saved as scenario `id` (the editor's live diagnostics). */
export async function checkScenarioDraft(corpus: ScenarioCorpus, content: string, id?: string): Promise<Diagnostic[]> {
  const ref = id ? await locate(corpus, id) : null;
  return (await checkForWrite(corpus, content, id, ref?.relPath)).diagnostics;
}

export async function createScenario(corpus: ScenarioCorpus, content: string): Promise<StoreResult> {
  const checked = await checkForWrite(corpus, content, undefined, undefined);
  if (!checked.ok) return checked.failure;
  const { id, category } = checked;
  if ((await locate(corpus, id)) !== null) return exists(id);
  const target = scenarioPathFor(corpus.root, category, id);
  if (existsSync(target.absPath)) return exists(id);
  writeFileAtomic(target.absPath, content);
  await corpus.reindexFile(target.absPath);
  return { ok: true, id, relPath: target.relPath, hash: contentHash(content) };
}

export async function createScenarioFromTemplate(
  corpus: ScenarioCorpus,
  input: { id: string; category: string; behavior: string; title?: string },
): Promise<StoreResult> {
  return createScenario(corpus, scenarioTemplate(input));
}

export async function saveScenario(corpus: ScenarioCorpus, id: string, content: string, baseHash: string): Promise<StoreResult> {
  const ref = await locate(corpus, id);
  if (!ref) return notFound(id);
  const checked = await checkForWrite(corpus, content, id, ref.relPath);
  if (!checked.ok) return checked.failure;
  if (checked.id !== id) {
    return invalid(`the id in the text ("${checked.id}") differs from the scenario being saved ("${id}"); use rename to change an id`, checked.diagnostics);
  }
  return replaceFile(corpus, ref, baseHash, () => content, checked.category);
}

export async function setScenarioStatus(corpus: ScenarioCorpus, id: string, status: ScenarioStatus, baseHash: string): Promise<StoreResult> {
  const ref = await locate(corpus, id);
  if (!ref) return notFound(id);
  return replaceFile(corpus, ref, baseHash, (current) => withFields(current, { status }));
}

export async function renameScenario(corpus: ScenarioCorpus, id: string, newId: string, baseHash: string): Promise<StoreResult> {
  const ref = await locate(corpus, id);
  if (!ref) return notFound(id);
  if (newId === id) return invalid(`"${newId}" is already this scenario's id`);
  if ((await locate(corpus, newId)) !== null) return exists(newId);
  const current = readIfExists(ref.absPath);
  if (current === null || contentHash(current) !== baseHash) return conflict(id, current);
  const next = withFields(current, { id: newId });
  const checked = await checkForWrite(corpus, next, newId, undefined);
  if (!checked.ok) return checked.failure;
  const target = scenarioPathFor(corpus.root, checked.category, newId);
  if (existsSync(target.absPath)) return exists(newId);
  // Re-read right before writing: nothing may have changed since the check above (in this process
  // or, under the named lock, another on the same database).
  const raced = await withNamedLock(corpus.db, scenarioLock(id), () => {
    if (readIfExists(ref.absPath) !== current) return conflict(id, readIfExists(ref.absPath));
    writeFileAtomic(target.absPath, next);
    unlinkSync(ref.absPath);
    return null;
  });
  if (raced) return raced;
  await corpus.reindexFile(ref.absPath);
  await corpus.reindexFile(target.absPath);
  return { ok: true, id: newId, relPath: target.relPath, hash: contentHash(next) };
}

export async function duplicateScenario(corpus: ScenarioCorpus, id: string, newId: string): Promise<StoreResult> {
  const source = await readScenario(corpus, id);
  if (!source) return notFound(id);
  const title = parseYaml(source.content).doc.get('title');
  const copy = withFields(source.content, {
    id: newId,
    status: 'draft',
    ...(typeof title === 'string' ? { title: `${title} (copy)` } : {}),
  });
  return createScenario(corpus, copy);
}

export async function deleteScenario(corpus: ScenarioCorpus, id: string, baseHash: string): Promise<StoreResult> {
  const ref = await locate(corpus, id);
  if (!ref) return notFound(id);
  const raced = await withNamedLock(corpus.db, scenarioLock(id), () => {
    const current = readIfExists(ref.absPath);
    if (current === null || contentHash(current) !== baseHash) return conflict(id, current);
    unlinkSync(ref.absPath);
    return null;
  });
  if (raced) return raced;
  syncDir(join(ref.absPath, '..'));
  await corpus.reindexFile(ref.absPath);
  return { ok: true, id, relPath: ref.relPath, hash: baseHash };
}

/** The lock that makes a scenario's check-then-write one step across server processes. */
const scenarioLock = (id: string) => `crucible:scenario-write:${id}`;

/** Swaps a file's content if it is still at `baseHash`; moves it when its category changed. */
async function replaceFile(
  corpus: ScenarioCorpus,
  ref: ScenarioFileRef,
  baseHash: string,
  nextOf: (current: string) => string,
  category?: string,
): Promise<StoreResult> {
  const current = readIfExists(ref.absPath);
  if (current === null || contentHash(current) !== baseHash) return conflict(ref.id, current);
  const next = nextOf(current);
  let targetCategory = category;
  if (targetCategory === undefined) {
    const checked = await checkForWrite(corpus, next, ref.id, ref.relPath);
    if (!checked.ok) return checked.failure;
    targetCategory = checked.category;
  }
  const target = scenarioPathFor(corpus.root, targetCategory, ref.id);
  // From the re-read to the rename nothing awaits, so no other request of this process can write in
  // between; the named lock keeps other server processes on the database out too (PostgreSQL).
  const raced = await withNamedLock(corpus.db, scenarioLock(ref.id), () => {
    const again = readIfExists(ref.absPath);
    if (again !== current) return conflict(ref.id, again);
    writeFileAtomic(target.absPath, next);
    if (target.absPath !== ref.absPath) unlinkSync(ref.absPath);
    return null;
  });
  if (raced) return raced;
  if (target.absPath !== ref.absPath) await corpus.reindexFile(ref.absPath);
  await corpus.reindexFile(target.absPath);
  return { ok: true, id: ref.id, relPath: target.relPath, hash: contentHash(next) };
}

type Checked =
  | { ok: true; id: string; category: string; diagnostics: Diagnostic[] }
  | { ok: false; failure: StoreFailure; diagnostics: Diagnostic[] };

/** Full check of text about to be written as `id` (or as the id it declares). */
async function checkForWrite(corpus: ScenarioCorpus, content: string, id: string | undefined, ownRelPath: string | undefined): Promise<Checked> {
  const declared = /^id:\s*["']?([^"'\s#]+)/m.exec(content)?.[1];
  const rows = declared ? await findScenarioRowsById(corpus.db, declared) : [];
  const other = rows.find((r) => r.rel_path !== ownRelPath);
  const { scenario, diagnostics } = checkScenarioText(content, {
    taxonomy: corpus.taxonomy,
    fileId: id,
    idTakenBy: (taken) => (taken === declared ? other?.rel_path : undefined),
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!scenario || errors.length > 0) {
    const n = errors.length;
    return { ok: false, diagnostics, failure: invalid(`the scenario has ${n} problem${n === 1 ? '' : 's'}; nothing was saved`, errors) };
  }
  return { ok: true, id: scenario.id, category: scenario.category, diagnostics };
}

async function locate(corpus: ScenarioCorpus, id: string): Promise<ScenarioFileRef | null> {
  const rows = await findScenarioRowsById(corpus.db, id);
  for (const row of rows) {
    const ref = scenarioRef(corpus.root, row.rel_path);
    if (existsSync(ref.absPath)) return ref;
  }
  // The index can lag a change on disk by a moment; the folder itself is the truth.
  return listScenarioFiles(corpus.root).find((f) => f.id === id) ?? null;
}

function scenarioRef(root: string, relPath: string): ScenarioFileRef {
  const parts = relPath.split('/');
  const name = parts[parts.length - 1]!;
  return { id: name.replace(/\.yaml$/, ''), folder: parts.length > 1 ? parts[0]! : '', absPath: join(root, ...parts), relPath };
}

/** Sets top-level fields, keeping the author's comments and layout. */
function withFields(text: string, fields: Record<string, string>): string {
  return setTopLevelScalars(text, fields);
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

const notFound = (id: string): StoreFailure => ({ ok: false, status: 404, code: 'not_found', message: `no scenario with id "${id}"` });
const exists = (id: string): StoreFailure => ({ ok: false, status: 409, code: 'already_exists', message: `a scenario with id "${id}" already exists` });
const invalid = (message: string, issues?: Diagnostic[]): StoreFailure => ({ ok: false, status: 422, code: 'validation_failed', message, issues });
function conflict(id: string, current: string | null): StoreFailure {
  return {
    ok: false,
    status: 409,
    code: 'conflict',
    message:
      current === null
        ? `scenario "${id}" was deleted or moved since you opened it; nothing was saved`
        : `scenario "${id}" was changed since you opened it (by someone else or on disk); nothing was saved`,
    current: current === null ? null : { content: current, hash: contentHash(current) },
  };
}
