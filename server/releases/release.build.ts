import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db } from '../db/database.ts';
import { listJudgeVersions } from '../judge/judge.repository.ts';
import { buildLeaderboard, scoredItems } from '../runs/leaderboard.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { taxonomyPath } from '../taxonomy/taxonomy.load.ts';
import { buildChangelog, changelogMarkdown } from './release.changelog.ts';
import { buildDatasheet, datasheetMarkdown } from './release.datasheet.ts';
import { inspectSample } from './release.inspect.ts';
import { realismOf } from './release.realism.ts';
import { releasedScenarios, type ReleaseScope } from './release.scenarios.ts';

// Everything a release folder holds, built in memory: the scenario files as they are, one JSONL
// (an Inspect dataset), the taxonomy, realism per scenario, the judge versions, the leaderboards of
// completed runs with their run ids, the datasheet, the changelog against the previous release,
// release.json (the manifest: name, version, scope, each scenario's content hash) and
// checksums.sha256 over every other file.

export const RELEASE_FORMAT = 'crucible-release';
export const RELEASE_FORMAT_VERSION = 1;
export const CHECKSUMS_FILE = 'checksums.sha256';

export interface ReleaseManifest {
  format: typeof RELEASE_FORMAT;
  formatVersion: number;
  name: string;
  version: number;
  createdAt: string;
  scope: ReleaseScope;
  previous: { name: string; version: number } | null;
  /** Scenario id: content hash (sha256 of the file's text, as Crucible indexes it). */
  scenarios: Record<string, string>;
  counts: { scenarios: number; judgeVersions: number; leaderboardRuns: number };
}

export interface PreviousRelease {
  name: string;
  version: number;
  scenarios: Record<string, string>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The files of a release, by path inside its folder (checksums.sha256 last). */
export async function buildRelease(
  db: Db,
  corpus: ScenarioCorpus,
  opts: { name: string; scope: ReleaseScope; previous: PreviousRelease | null; now?: Date },
): Promise<{ files: Map<string, string>; manifest: ReleaseManifest }> {
  const scenarios = await releasedScenarios(db, corpus, opts.scope);
  const realism = await realismOf(db, scenarios);
  const judges = (await listJudgeVersions(db)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const runs = await db
    .selectFrom('run')
    .select(['id', 'name', 'judge_version_id', 'created_at', 'finished_at'])
    .where('status', '=', 'completed')
    .where('judge_version_id', 'is not', null)
    .orderBy('created_at')
    .execute();
  const leaderboards = [];
  for (const run of runs) {
    const scored = await scoredItems(db, run.id, run.judge_version_id!);
    const board = buildLeaderboard(scored.items, run.judge_version_id!, scored);
    leaderboards.push({
      runId: run.id,
      name: run.name,
      judgeVersionId: run.judge_version_id,
      createdAt: run.created_at,
      finishedAt: run.finished_at,
      models: board.models,
    });
  }
  const version = (opts.previous?.version ?? 0) + 1;
  const hashes = Object.fromEntries(scenarios.map((s) => [s.id, s.contentHash]));
  const changelog = buildChangelog(opts.previous, hashes);
  const datasheet = buildDatasheet({
    name: opts.name,
    version,
    scope: opts.scope,
    taxonomy: corpus.taxonomy,
    scenarios,
    realism,
    judgeVersions: judges.length,
    leaderboardRuns: leaderboards.length,
  });
  const manifest: ReleaseManifest = {
    format: RELEASE_FORMAT,
    formatVersion: RELEASE_FORMAT_VERSION,
    name: opts.name,
    version,
    createdAt: (opts.now ?? new Date()).toISOString(),
    scope: opts.scope,
    previous: changelog.previous,
    scenarios: hashes,
    counts: { scenarios: scenarios.length, judgeVersions: judges.length, leaderboardRuns: leaderboards.length },
  };
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files = new Map<string, string>();
  for (const s of scenarios) files.set(`scenarios/${s.relPath}`, s.text);
  files.set('scenarios.jsonl', scenarios.map((s) => `${JSON.stringify(inspectSample(s))}\n`).join(''));
  files.set('taxonomy.yaml', readFileSync(taxonomyPath(corpus.root), 'utf8'));
  files.set('realism.json', json(realism));
  files.set('judges.json', json(judges));
  files.set('leaderboard.json', json(leaderboards));
  files.set('datasheet.json', json(datasheet));
  files.set('datasheet.md', datasheetMarkdown(datasheet));
  files.set('changelog.json', json(changelog));
  files.set('CHANGELOG.md', changelogMarkdown(opts.name, version, changelog));
  files.set('release.json', json(manifest));
  files.set(CHECKSUMS_FILE, checksums(files));
  return { files, manifest };
}

/** `sha256sum` format: `<hex>  <path>`, one line a file, sorted by path (`sha256sum -c` checks it). */
export function checksums(files: ReadonlyMap<string, string>): string {
  return [...files.keys()]
    .filter((p) => p !== CHECKSUMS_FILE)
    .sort()
    .map((p) => `${sha256(files.get(p)!)}  ${p}\n`)
    .join('');
}
