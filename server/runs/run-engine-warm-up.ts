import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';
import type { ModelRegistry, ModelTransport } from '../models/model.registry.ts';
import { richestCleanScenarioPath } from '../scenarios/scenario.repository.ts';

/** Where the warm-up finds a scenario to check (the index and the folder it indexes), and the run engine's check. */
export interface WarmUpCorpus {
  db: Db;
  root: string;
  check: (text: string) => unknown;
}

/** What a warm-up built: the models whose clients it made, and the scenario file it checked. */
export interface WarmUpReport {
  clients: string[];
  scenario: string | null;
}

/**
 * Builds, once a server listens, what the first items of its first run would otherwise build
 * inside their model calls (issue 20 point 2: the start-up cost that makes small runs slow):
 * - Node's fetch classes (Headers, Response and the web streams under them), which Node loads at
 *   their first use and the AI SDK's provider calls use on every call: loading them cost 25-30 ms
 *   of CPU in the first wave of a fresh process;
 * - the provider client of every configured model that can be called, made the way runs make
 *   them (their transport) and kept by the registry, which runs then take instead of making one;
 * - the scenario check every item starts with, on one indexed file without errors, the one with
 *   the most tools and turns (the most of the schema): zod builds each schema's parser at its
 *   first parse, and the YAML loader and the checks are compiled at their first call. A fresh
 *   server's first 64-item run spent ~38 ms of its main thread in its 64 checks (a CPU profile:
 *   half of what set it apart from the same run warm), about 0.6 ms a check against ~0.2 warm.
 * It does no model call and writes nothing; the caller runs it in the background after listening,
 * so a request never waits for it. A file gone since it was indexed is skipped.
 */
export async function warmUpRunEngine(
  models: ModelRegistry,
  transport: ModelTransport,
  corpus?: WarmUpCorpus,
): Promise<WarmUpReport> {
  const headers = new Headers({ 'content-type': 'application/json' });
  await new Response(new TextEncoder().encode('{}'), { status: 200, headers }).text();
  const clients: string[] = [];
  for (const model of models.list()) if (model.ready && models.resolve(model.id, transport).ok) clients.push(model.id);
  const relPath = corpus ? await richestCleanScenarioPath(corpus.db) : null;
  if (!corpus || relPath === null) return { clients, scenario: null };
  const text = await readFile(join(corpus.root, relPath), 'utf8').catch(() => null);
  if (text === null) return { clients, scenario: null };
  corpus.check(text);
  return { clients, scenario: relPath };
}
