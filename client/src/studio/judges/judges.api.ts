import type { CreateAnnotationStudyRequest, SamplingPool } from '../../../../schema/api/annotation.ts';
import { queryOptions } from '@tanstack/react-query';
import type { Judgement, JudgeSettings, JudgeVersion } from '../../../../schema/judge.ts';
import type { ToolExpectationReport } from '../../../../schema/tool-expectations.ts';
import { api, ApiError, readJson } from '../../api/client.ts';
import { judgeKeys } from '../../api/queryKeys.ts';

// One function per judge and annotation-study endpoint the studio calls; each returns parsed JSON or throws ApiError.

export type AnnotationStudySummary = Awaited<ReturnType<typeof fetchAnnotationStudies>>[number];

export async function fetchJudgeVersions(): Promise<JudgeVersion[]> {
  return (await readJson(await api.judges.$get())).versions;
}

/** Every judge version (the judges and calibration pages, the run badges, the verdict panel). */
export const judgeVersionsQuery = () => queryOptions({ queryKey: judgeKeys.versions, queryFn: fetchJudgeVersions });

/** The verdicts on one stored transcript, newest first (the verdict panel, the compare dialog, a run's deep dive). */
export const judgementsQuery = (transcriptId: string) =>
  queryOptions({
    queryKey: judgeKeys.judgements(transcriptId),
    queryFn: async (): Promise<Judgement[]> =>
      (await readJson(await api.judges.judgements.$get({ query: { transcriptId } }))).judgements,
  });

/** A transcript's tool expectations, scored without a judge (null: the scenario has none). */
export const expectationsQuery = (transcriptId: string) =>
  queryOptions({
    queryKey: judgeKeys.expectations(transcriptId),
    queryFn: async (): Promise<ToolExpectationReport | null> =>
      (await readJson(await api.judges.expectations.$get({ query: { transcriptId } }))).report,
    staleTime: Infinity,
  });

/** A new judge (version 1), or the next version of judge `name`. */
export async function createJudgeVersion(body: {
  name: string;
  settings: JudgeSettings;
  reason: string;
  parentId?: string;
}): Promise<JudgeVersion> {
  return readJson(await api.judges.$post({ json: body }));
}

/**
 * Makes a version the default. The server compares it with the current default on held-out annotated
 * transcripts; when that does not clear it, it answers 422 with an issue on `reason` (promotionNeedsReason).
 */
export async function promoteJudgeVersion(id: string, reason = ''): Promise<void> {
  await readJson(await api.judges[':id'].promote.$post({ param: { id }, json: { reason } }));
}

/** The guard's message when a promotion was refused for want of a reason; null for any other error. */
export function promotionNeedsReason(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  return error.envelope.issues?.find((i) => i.path?.[0] === 'reason')?.message ?? null;
}

export async function fetchModelIds(): Promise<{ id: string; ready: boolean }[]> {
  return (await readJson(await api.models.$get())).models.map((m) => ({ id: m.id, ready: m.ready }));
}

/** People by id, for "who made this version" (admins only may list people; others see ids). */
export async function fetchPeopleNames(): Promise<Map<string, string>> {
  const res = await api.admin.users.$get();
  if (!res.ok) return new Map();
  return new Map((await readJson(res)).users.map((u) => [u.id, u.name]));
}

export async function fetchAnnotationStudies() {
  return (await readJson(await api['annotation-studies'].$get())).studies;
}

export async function createAnnotationStudy(
  body: CreateAnnotationStudyRequest,
): Promise<{ id: string; items: number; byStratum: Record<string, number> }> {
  return readJson(await api['annotation-studies'].$post({ json: body }));
}

/** Distinct transcripts per judge-score band that a study with this filter could sample. */
export async function fetchSamplingPool(query: {
  judgeVersionId: string;
  category?: string;
  behavior?: string;
  runId?: string;
  externalScorer?: string;
}): Promise<SamplingPool> {
  return readJson(await api['annotation-studies'].pool.$get({ query }));
}

/** Other tools' judges whose scores imported transcripts carry on the alignment scale: a study can be stratified by one. */
export async function fetchExternalScorers() {
  return (await readJson(await api.calibration.external.scorers.$get())).scorers;
}

export const agreementExportUrl = (studyId: string) =>
  `/api/annotation-studies/${encodeURIComponent(studyId)}/export.jsonl`;
