import type { CandidateDetail, CandidateSummary, GenerationJobSummary } from '../../../../schema/api/generation.ts';
import type { JobAccepted } from '../../../../schema/api/jobs.ts';
import type { CandidateStatus, GenerationJobSettingsInput } from '../../../../schema/generation.ts';
import { api, readJson } from '../../api/client.ts';

// The generation endpoints the studio calls; each returns parsed JSON or throws ApiError.

export type { CandidateDetail, CandidateSummary, GenerationJobSummary };

export const generationKeys = {
  jobs: ['generation', 'jobs'] as const,
  queue: ['generation', 'candidates', 'review'] as const,
  candidate: (id: string) => ['generation', 'candidate', id] as const,
  agreement: (study: string) => ['generation', 'realism-agreement', study] as const,
};

export async function startGenerationJob(settings: GenerationJobSettingsInput): Promise<JobAccepted> {
  return (await readJson(await api.generation.jobs.$post({ json: settings as never }))) as JobAccepted;
}

export async function fetchGenerationJobs(): Promise<GenerationJobSummary[]> {
  return ((await readJson(await api.generation.jobs.$get())) as { jobs: GenerationJobSummary[] }).jobs;
}

export async function fetchCandidates(status: CandidateStatus): Promise<CandidateSummary[]> {
  return (
    (await readJson(await api.generation.candidates.$get({ query: { status } }))) as { candidates: CandidateSummary[] }
  ).candidates;
}

export async function fetchCandidate(id: string): Promise<CandidateDetail> {
  return (await readJson(await api.generation.candidates[':id'].$get({ param: { id } }))) as CandidateDetail;
}

export async function acceptCandidate(id: string): Promise<{ scenarioId: string }> {
  return (await readJson(await api.generation.candidates[':id'].accept.$post({ param: { id } }))) as {
    scenarioId: string;
  };
}

export async function rejectCandidate(id: string, reason: string): Promise<CandidateSummary> {
  return (await readJson(
    await api.generation.candidates[':id'].reject.$post({ param: { id }, json: { reason } }),
  )) as CandidateSummary;
}

export async function fetchRealismAgreement(study: string) {
  return readJson(await api.generation['realism-agreement'].$get({ query: { study } }));
}
