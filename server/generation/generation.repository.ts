import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { CandidateScreens, CandidateStatus, GenerationJobSettings } from '../../schema/generation.ts';
import type { Db } from '../db/database.ts';
import { variationFor } from './generation-prompt.ts';
import type { GenerationCandidateTable } from './generation.tables.ts';

export type GenerationCandidateRow = Selectable<GenerationCandidateTable>;

const now = () => new Date().toISOString();

/**
 * The generation record of background job `id` with its candidates, spread over the behaviours in
 * turn, each with its variation values; made once, when the job first runs (a resume finds it).
 */
export async function ensureGenerationJob(db: Db, id: string, settings: GenerationJobSettings): Promise<void> {
  if (await db.selectFrom('generation_job').select('id').where('id', '=', id).executeTakeFirst()) return;
  const at = now();
  const behaviours = settings.behaviors;
  const candidates = Array.from({ length: settings.count }, (_, position) => ({
    id: randomUUID(),
    job_id: id,
    position,
    behavior: behaviours[position % behaviours.length]!,
    variation: JSON.stringify(variationFor(settings.dimensions, Math.floor(position / behaviours.length))),
    status: 'pending' as const,
    updated_at: at,
  }));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('generation_job')
      .values({ id, settings: JSON.stringify(settings), created_at: at })
      .execute();
    for (let i = 0; i < candidates.length; i += 200)
      await trx
        .insertInto('generation_candidate')
        .values(candidates.slice(i, i + 200))
        .execute();
  });
}

/** Count of a job's candidates in each status, and their tokens and cost so far. */
export async function jobTallies(db: Db, jobId: string) {
  const rows = await db
    .selectFrom('generation_candidate')
    .select(({ fn }) => [
      'status',
      fn.countAll<number>().as('n'),
      fn.sum<number>('input_tokens').as('input_tokens'),
      fn.sum<number>('output_tokens').as('output_tokens'),
      fn.sum<number>('cost_usd').as('cost_usd'),
    ])
    .where('job_id', '=', jobId)
    .groupBy('status')
    .execute();
  const counts: Record<CandidateStatus, number> = {
    pending: 0,
    dropped: 0,
    'screened-out': 0,
    review: 0,
    accepted: 0,
    rejected: 0,
  };
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd: number | null = null;
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    inputTokens += Number(r.input_tokens ?? 0);
    outputTokens += Number(r.output_tokens ?? 0);
    if (r.cost_usd !== null) costUsd = (costUsd ?? 0) + Number(r.cost_usd);
  }
  return { counts, inputTokens, outputTokens, costUsd };
}

export async function saveJobUsage(
  db: Db,
  id: string,
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null },
): Promise<void> {
  await db
    .updateTable('generation_job')
    .set({ input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cost_usd: usage.costUsd })
    .where('id', '=', id)
    .execute();
}

export async function listCandidates(
  db: Db,
  filter: { jobId?: string; status?: CandidateStatus; limit?: number },
): Promise<GenerationCandidateRow[]> {
  let q = db.selectFrom('generation_candidate').selectAll();
  if (filter.jobId) q = q.where('job_id', '=', filter.jobId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q
    .orderBy('job_id')
    .orderBy('position')
    .limit(filter.limit ?? 1000)
    .execute();
}

export async function findCandidate(db: Db, id: string): Promise<GenerationCandidateRow | undefined> {
  return db.selectFrom('generation_candidate').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records what happened to a candidate (its proposal, its screens, its end) with what it cost. */
export async function saveCandidateOutcome(
  db: Db,
  id: string,
  outcome: {
    status: CandidateStatus;
    scenarioId: string | null;
    yaml: string | null;
    reason: string | null;
    repaired: boolean;
    screens: CandidateScreens | null;
    usage: { inputTokens: number; outputTokens: number; costUsd: number | null };
  },
): Promise<void> {
  const nearest = outcome.screens?.duplicate.nearest ?? null;
  await db
    .updateTable('generation_candidate')
    .set({
      status: outcome.status,
      scenario_id: outcome.scenarioId,
      yaml: outcome.yaml,
      reason: outcome.reason,
      repaired: outcome.repaired ? 1 : 0,
      screens: outcome.screens ? JSON.stringify(outcome.screens) : null,
      nearest_id: nearest?.id ?? null,
      nearest_similarity: nearest?.similarity ?? null,
      realism_score: outcome.screens?.realism.score ?? null,
      input_tokens: outcome.usage.inputTokens,
      output_tokens: outcome.usage.outputTokens,
      cost_usd: outcome.usage.costUsd,
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute();
}

/** A person's decision on a candidate in review; false when it is no longer in review (decided elsewhere). */
export async function decideCandidate(
  db: Db,
  id: string,
  decision: { status: 'accepted' | 'rejected'; reason: string | null; by: string },
): Promise<boolean> {
  const at = now();
  const result = await db
    .updateTable('generation_candidate')
    .set({
      status: decision.status,
      reason: decision.reason,
      reviewed_by: decision.by,
      reviewed_at: at,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('status', '=', 'review')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Why people rejected earlier candidates of a behaviour, newest first: what a new job is told not to repeat. */
export async function rejectionsOf(db: Db, behavior: string, limit = 20): Promise<{ title: string; reason: string }[]> {
  const rows = await db
    .selectFrom('generation_candidate')
    .select(['yaml', 'reason', 'scenario_id'])
    .where('behavior', '=', behavior)
    .where('status', '=', 'rejected')
    .orderBy('reviewed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ title: titleOf(r.yaml) ?? r.scenario_id ?? 'untitled', reason: r.reason ?? '' }));
}

/** Ids given to candidates of any job (a new candidate must not take one, whether or not it was accepted). */
export async function candidateScenarioIds(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('generation_candidate')
    .select('scenario_id')
    .where('scenario_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.scenario_id!));
}

function titleOf(yaml: string | null): string | null {
  return yaml ? (/^title: (.+)$/m.exec(yaml)?.[1]?.replace(/^["']|["']$/g, '') ?? null) : null;
}

/** Puts an accepted candidate back in review (its scenario could not be written). */
export async function returnCandidateToReview(db: Db, id: string): Promise<void> {
  await db.updateTable('generation_candidate').set({ status: 'review' }).where('id', '=', id).execute();
}
