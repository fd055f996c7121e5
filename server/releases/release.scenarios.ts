import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { contentHash } from '../scenarios/scenario.row.ts';
import { validatedScenarioIds } from '../studies/validated.ts';
import { loadYamlFast } from '../yaml/yaml-limits.ts';

// The scenarios a release ships: the corpus files as they are on disk (their text is the content
// hash), chosen by scope. Retired scenarios and files with errors are never released.

export const RELEASE_SCOPES = ['validated', 'ready', 'all'] as const;
export type ReleaseScope = (typeof RELEASE_SCOPES)[number];

export interface ReleasedScenario {
  id: string;
  /** `<category>/<id>.yaml`, as in the corpus. */
  relPath: string;
  category: string;
  behavior: string;
  difficulty: string;
  status: string;
  text: string;
  contentHash: string;
  /** The parsed document (the JSONL line and the datasheet read it). */
  doc: Record<string, unknown>;
}

export async function releasedScenarios(
  db: Db,
  corpus: ScenarioCorpus,
  scope: ReleaseScope,
): Promise<ReleasedScenario[]> {
  const rows = await db
    .selectFrom('scenario')
    .select(['id', 'rel_path', 'category', 'behavior', 'difficulty', 'status', 'error_count'])
    .where('status', '!=', 'retired')
    .where('error_count', '=', 0)
    .orderBy('id')
    .execute();
  const validated = scope === 'validated' ? await validatedScenarioIds(db) : null;
  return rows
    .filter((r) => (scope === 'ready' ? r.status === 'ready' : validated ? validated.has(r.id) : true))
    .map((r) => {
      const text = readFileSync(join(corpus.root, r.rel_path), 'utf8');
      const loaded = loadYamlFast(text);
      return {
        id: r.id,
        relPath: r.rel_path,
        category: r.category,
        behavior: r.behavior,
        difficulty: r.difficulty,
        status: r.status,
        text,
        contentHash: contentHash(text),
        doc: (loaded !== null && typeof loaded === 'object' ? loaded : {}) as Record<string, unknown>,
      };
    });
}
