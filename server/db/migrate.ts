import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as scenarioIndex from './migrations/2026-11-27T0100-scenario-index.ts';
import * as dryRuns from './migrations/2026-11-27T0200-dry-runs.ts';
import * as people from './migrations/2026-11-27T0300-people.ts';
import * as realismStudies from './migrations/2026-11-27T0400-realism-studies.ts';
import * as ratingIndexes from './migrations/2026-11-27T0500-rating-indexes.ts';
import * as judges from './migrations/2026-11-27T0600-judges.ts';
import * as annotation from './migrations/2026-11-27T0700-annotation.ts';
import * as runs from './migrations/2026-11-27T0800-runs.ts';
import * as scoreScales from './migrations/2026-11-27T0900-score-scales.ts';
import * as calibrationRules from './migrations/2026-11-29T1000-calibration-rules.ts';
import * as crowdSafeguards from './migrations/2026-11-29T1100-crowd-safeguards.ts';
import * as dryRunEventBatches from './migrations/2026-11-29T1600-dry-run-event-batches.ts';
import * as judgementElision from './migrations/2026-11-29T1700-judgement-elision.ts';
import * as annotationReasoning from './migrations/2026-11-29T1710-annotation-reasoning.ts';
import * as judgementDimensions from './migrations/2026-11-29T1720-judgement-dimensions.ts';
import * as annotationDimensions from './migrations/2026-11-29T1730-annotation-dimensions.ts';
import * as judgePromotions from './migrations/2026-11-29T1800-judge-promotions.ts';
import * as raterViewHash from './migrations/2026-11-29T1810-rater-view-hash.ts';
import * as runJudgeUsage from './migrations/2026-11-29T1900-run-judge-usage.ts';
import * as ratingViewIndex from './migrations/2026-11-29T1910-rating-view-index.ts';
import * as scenarioVariants from './migrations/2026-11-30T0110-scenario-variants.ts';
import * as scenarioVariantCount from './migrations/2026-11-30T0120-scenario-variant-count.ts';
import * as judgementToolExpectations from './migrations/2026-11-30T0200-judgement-tool-expectations.ts';
import * as jobs from './migrations/2026-11-30T0500-jobs.ts';
import * as runItemLeases from './migrations/2026-11-30T0510-run-item-leases.ts';
import * as importedTranscripts from './migrations/2026-11-30T0700-imported-transcripts.ts';
import * as benchmarkReleases from './migrations/2026-11-30T0710-benchmark-releases.ts';
import * as generation from './migrations/2026-11-30T0600-generation.ts';
import * as combinedLeaderboards from './migrations/2026-11-30T0800-combined-leaderboards.ts';
import * as ratingRevisions from './migrations/2026-11-30T0910-rating-revisions.ts';
import * as scenarioListIndexes from './migrations/2026-11-30T0920-scenario-list-indexes.ts';
import * as scenarioFileStamps from './migrations/2026-11-30T1300-scenario-file-stamps.ts';
import * as dropRedundantScenarioIndex from './migrations/2026-11-30T1310-drop-redundant-scenario-index.ts';
import * as scenarioSearchWords from './migrations/2026-12-01T1300-scenario-search-words.ts';
import * as promotionWithoutStudy from './migrations/2026-12-01T1600-promotion-without-study.ts';
import * as scenarioSearchVocabDigits from './migrations/2026-12-02T1300-scenario-search-vocab-digits.ts';
import * as calibrationVersionIndexes from './migrations/2026-12-02T1400-calibration-version-indexes.ts';
import * as annotationRaterIndex from './migrations/2026-12-03T0900-annotation-rater-index.ts';

// Listed statically (not read from the folder) so they bundle and run the same under tsx and tests.
const migrations: Record<string, Migration> = {
  '2026-11-27T0100-scenario-index': scenarioIndex,
  '2026-11-27T0200-dry-runs': dryRuns,
  '2026-11-27T0300-people': people,
  '2026-11-27T0400-realism-studies': realismStudies,
  '2026-11-27T0500-rating-indexes': ratingIndexes,
  '2026-11-27T0600-judges': judges,
  '2026-11-27T0700-annotation': annotation,
  '2026-11-27T0800-runs': runs,
  '2026-11-27T0900-score-scales': scoreScales,
  '2026-11-29T1000-calibration-rules': calibrationRules,
  '2026-11-29T1100-crowd-safeguards': crowdSafeguards,
  '2026-11-29T1600-dry-run-event-batches': dryRunEventBatches,
  '2026-11-29T1700-judgement-elision': judgementElision,
  '2026-11-29T1710-annotation-reasoning': annotationReasoning,
  '2026-11-29T1720-judgement-dimensions': judgementDimensions,
  '2026-11-29T1730-annotation-dimensions': annotationDimensions,
  '2026-11-29T1800-judge-promotions': judgePromotions,
  '2026-11-29T1810-rater-view-hash': raterViewHash,
  '2026-11-29T1900-run-judge-usage': runJudgeUsage,
  '2026-11-29T1910-rating-view-index': ratingViewIndex,
  '2026-11-30T0110-scenario-variants': scenarioVariants,
  '2026-11-30T0120-scenario-variant-count': scenarioVariantCount,
  '2026-11-30T0200-judgement-tool-expectations': judgementToolExpectations,
  '2026-11-30T0500-jobs': jobs,
  '2026-11-30T0510-run-item-leases': runItemLeases,
  '2026-11-30T0700-imported-transcripts': importedTranscripts,
  '2026-11-30T0710-benchmark-releases': benchmarkReleases,
  '2026-11-30T0600-generation': generation,
  '2026-11-30T0800-combined-leaderboards': combinedLeaderboards,
  '2026-11-30T0910-rating-revisions': ratingRevisions,
  '2026-11-30T0920-scenario-list-indexes': scenarioListIndexes,
  '2026-11-30T1300-scenario-file-stamps': scenarioFileStamps,
  '2026-11-30T1310-drop-redundant-scenario-index': dropRedundantScenarioIndex,
  '2026-12-01T1300-scenario-search-words': scenarioSearchWords,
  '2026-12-01T1600-promotion-without-study': promotionWithoutStudy,
  '2026-12-02T1300-scenario-search-vocab-digits': scenarioSearchVocabDigits,
  '2026-12-02T1400-calibration-version-indexes': calibrationVersionIndexes,
  '2026-12-03T0900-annotation-rater-index': annotationRaterIndex,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Every migration's name, oldest first. */
export const migrationNames = Object.keys(migrations).sort();

/** Brings the database to the schema of migration `name` (a migration's test starts from the one before it). */
export async function migrateTo(db: Db, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw new Error(`migration to ${name} failed: ${String(error)}`);
}

/** Brings the database to the latest schema; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`);
}
