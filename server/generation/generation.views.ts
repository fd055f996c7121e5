import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandidateDetail, CandidateSummary, GenerationJobSummary } from '../../schema/api/generation.ts';
import { GenerationJobSettingsSchema, type CandidateScreens } from '../../schema/generation.ts';
import type { Db } from '../db/database.ts';
import type { ScenarioCorpus } from '../scenarios/scenario.corpus.ts';
import { findScenarioRowsById } from '../scenarios/scenario.repository.ts';
import { jobTallies, type GenerationCandidateRow } from './generation.repository.ts';
import type { Job } from '../../schema/api/jobs.ts';

// What the API answers about jobs and candidates, made from their rows.

export async function jobSummary(db: Db, job: Job): Promise<GenerationJobSummary> {
  const tallies = await jobTallies(db, job.id);
  return {
    job,
    settings: GenerationJobSettingsSchema.parse(job.params),
    counts: tallies.counts,
    inputTokens: tallies.inputTokens,
    outputTokens: tallies.outputTokens,
    costUsd: tallies.costUsd,
  };
}

export function candidateSummary(row: GenerationCandidateRow): CandidateSummary {
  return {
    id: row.id,
    jobId: row.job_id,
    position: row.position,
    behavior: row.behavior,
    variation: JSON.parse(row.variation) as Record<string, string>,
    status: row.status,
    scenarioId: row.scenario_id,
    title: row.yaml ? (/^title: (.+)$/m.exec(row.yaml)?.[1]?.replace(/^["']|["']$/g, '') ?? null) : null,
    reason: row.reason,
    repaired: row.repaired === 1,
    nearest:
      row.nearest_id !== null && row.nearest_similarity !== null
        ? { id: row.nearest_id, similarity: row.nearest_similarity }
        : null,
    realismScore: row.realism_score,
  };
}

export async function candidateDetail(
  db: Db,
  corpus: ScenarioCorpus,
  row: GenerationCandidateRow,
): Promise<CandidateDetail> {
  const screens = row.screens ? (JSON.parse(row.screens) as CandidateScreens) : null;
  const job = await db.selectFrom('generation_job').select('settings').where('id', '=', row.job_id).executeTakeFirst();
  const nearest = screens?.duplicate.nearest ?? null;
  let nearestScenario: CandidateDetail['nearestScenario'] = null;
  if (nearest) {
    const file = (await findScenarioRowsById(db, nearest.id))[0];
    if (file) {
      nearestScenario = {
        id: file.id,
        title: file.title,
        in: 'corpus',
        yaml: readFileSync(join(corpus.root, file.rel_path), 'utf8'),
      };
    } else {
      const other = await db
        .selectFrom('generation_candidate')
        .select(['yaml', 'scenario_id'])
        .where('scenario_id', '=', nearest.id)
        .executeTakeFirst();
      if (other?.yaml)
        nearestScenario = {
          id: nearest.id,
          title: /^title: (.+)$/m.exec(other.yaml)?.[1] ?? nearest.id,
          in: 'batch',
          yaml: other.yaml,
        };
    }
  }
  return {
    ...candidateSummary(row),
    yaml: row.yaml,
    screens,
    model: job ? (JSON.parse(job.settings) as { generatorModel: string }).generatorModel : '',
    nearestScenario,
  };
}
