import type { CreateRunRequest, RunSettings, RunSummary } from '../../../../schema/api/runs.ts';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { JobAcceptedSchema, type JobAccepted } from '../../../../schema/api/jobs.ts';
import { api, readJson } from '../../api/client.ts';
import { runKeys } from '../../api/queryKeys.ts';

// One function per benchmark-run endpoint the studio calls; each returns parsed JSON or throws ApiError.

export type RunSettingsInput = CreateRunRequest['settings'];
/** What the new-run dialog counts: the run settings' scope and its category / behaviour filter. */
export type RunScope = Pick<RunSettings['filter'], 'scope' | 'category' | 'behavior'>;

export async function fetchRuns(): Promise<RunSummary[]> {
  return (await readJson(await api.runs.$get())).runs;
}

/** Every run (the runs page, the leaderboard forms, the annotation-study dialog's run filter). */
export const runsQuery = () => queryOptions({ queryKey: runKeys.list, queryFn: fetchRuns });

export async function fetchRun(id: string): Promise<RunSummary> {
  return readJson(await api.runs[':id'].$get({ param: { id } }));
}

export async function createRun(body: CreateRunRequest): Promise<{ id: string; items: number }> {
  return readJson(await api.runs.$post({ json: body }));
}

export async function stopRun(id: string): Promise<void> {
  await readJson(await api.runs[':id'].stop.$post({ param: { id } }));
}

export async function resumeRun(id: string): Promise<void> {
  await readJson(await api.runs[':id'].resume.$post({ param: { id } }));
}

/** Puts the run's failed items back in the queue and starts the run again. */
export async function retryFailedItems(id: string): Promise<{ requeued: number }> {
  return readJson(await api.runs[':id']['retry-failed'].$post({ param: { id } }));
}

/** The run's failed items, and items waiting for another try, with their last (redacted) error. */
export async function fetchRunItemErrors(id: string) {
  return (await readJson(await api.runs[':id'].errors.$get({ param: { id }, query: {} }))).items;
}
export type RunItemError = Awaited<ReturnType<typeof fetchRunItemErrors>>[number];

/** Queues the re-judge of a run (a background job: follow it with followJob). */
export async function rejudgeRun(id: string, judgeVersionId: string): Promise<JobAccepted> {
  return JobAcceptedSchema.parse(
    await readJson(await api.runs[':id'].rejudge.$post({ param: { id }, json: { judgeVersionId } })),
  );
}

/** What a finished re-judge job returns. */
export const RejudgeResultSchema = z.object({ scored: z.number(), errors: z.number() });

/** The judge version and dimension on screen (absent: the run's judge, the primary dimension). */
const judgeQuery = (judgeVersionId: string | null, dimension: string | null = null) => ({
  ...(judgeVersionId ? { judgeVersionId } : {}),
  ...(dimension ? { dimension } : {}),
});

export async function fetchLeaderboard(id: string, judgeVersionId: string | null, dimension: string | null = null) {
  return readJson(
    await api.runs[':id'].leaderboard.$get({ param: { id }, query: judgeQuery(judgeVersionId, dimension) }),
  );
}
/** A run's results under one judge version (the server's Leaderboard, as it arrives over the wire). */
export type Leaderboard = Awaited<ReturnType<typeof fetchLeaderboard>>;
export type ModelRow = Leaderboard['models'][number];
export type BehaviourRow = Leaderboard['behaviours'][number];
export type Factors = NonNullable<Leaderboard['factors']>;

/** Paired differences per behaviour; `family` is what one Bonferroni correction covers (this pair's behaviours, or all pairs'). */
export async function fetchComparison(
  id: string,
  judgeVersionId: string | null,
  a: string,
  b: string,
  family: 'pair' | 'all' = 'pair',
  dimension: string | null = null,
) {
  return readJson(
    await api.runs[':id'].compare.$get({
      param: { id },
      query: { ...judgeQuery(judgeVersionId, dimension), a, b, family },
    }),
  );
}
export type Comparison = Awaited<ReturnType<typeof fetchComparison>>;

/** Where the browser downloads a run's results (under the judge version on screen). */
export function exportUrl(
  id: string,
  kind: 'export.json' | 'export.csv' | 'leaderboard.html' | 'variables.csv',
  judgeVersionId: string | null,
  dimension: string | null = null,
): string {
  const q = new URLSearchParams(judgeQuery(judgeVersionId, dimension)).toString();
  return `/api/runs/${encodeURIComponent(id)}/${kind}${q ? `?${q}` : ''}`;
}

/** The live progress stream of a run (server-sent events `progress` and `finished`). */
export const runEventsUrl = (id: string) => `/api/runs/${encodeURIComponent(id)}/events`;

export interface ItemFilter {
  model?: string;
  behavior?: string;
  minScore?: number;
  maxScore?: number;
  /** Words that must all appear in the transcript. */
  q?: string;
}

export async function fetchRunItems(id: string, judgeVersionId: string | null, filter: ItemFilter) {
  const query: Record<string, string> = { limit: '500' };
  if (judgeVersionId) query.judgeVersionId = judgeVersionId;
  if (filter.model) query.model = filter.model;
  if (filter.behavior) query.behavior = filter.behavior;
  if (filter.minScore) query.minScore = String(filter.minScore);
  if (filter.maxScore) query.maxScore = String(filter.maxScore);
  if (filter.q) query.q = filter.q;
  return readJson(await api.runs[':id'].items.$get({ param: { id }, query }));
}
export type RunItem = Awaited<ReturnType<typeof fetchRunItems>>['items'][number];

/** Scenario x model outputs of one behaviour (or the run's first scenarios). */
export async function fetchOutputGrid(id: string, judgeVersionId: string | null, behavior: string | undefined) {
  const query: Record<string, string> = {};
  if (judgeVersionId) query.judgeVersionId = judgeVersionId;
  if (behavior) query.behavior = behavior;
  return readJson(await api.runs[':id'].grid.$get({ param: { id }, query }));
}
