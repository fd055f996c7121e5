import type { CandidateDetail, CandidateSummary, GenerationJobSummary } from '../../../../schema/api/generation.ts';
import type { JobAccepted } from '../../../../schema/api/jobs.ts';
import type { CandidateStatus, GenerationJobSettingsInput } from '../../../../schema/generation.ts';
import { api, readJson } from '../../api/client.ts';

// The generation endpoints the studio calls; each returns parsed JSON or throws ApiError.

export type { CandidateDetail, CandidateSummary, GenerationJobSummary };

export async function startGenerationJob(settings: GenerationJobSettingsInput): Promise<JobAccepted> {
  return readJson(await api.generation.jobs.$post({ json: settings }));
}

export async function fetchGenerationJobs(): Promise<GenerationJobSummary[]> {
  return (await readJson(await api.generation.jobs.$get())).jobs;
}

export async function fetchCandidates(status: CandidateStatus): Promise<CandidateSummary[]> {
  return (await readJson(await api.generation.candidates.$get({ query: { status } }))).candidates;
}

export async function fetchCandidate(id: string): Promise<CandidateDetail> {
  return readJson(await api.generation.candidates[':id'].$get({ param: { id } }));
}

export async function acceptCandidate(id: string): Promise<{ scenarioId: string }> {
  return readJson(await api.generation.candidates[':id'].accept.$post({ param: { id } }));
}

export async function rejectCandidate(id: string, reason: string): Promise<CandidateSummary> {
  return readJson(await api.generation.candidates[':id'].reject.$post({ param: { id }, json: { reason } }));
}

export async function fetchRealismAgreement(study: string) {
  return readJson(await api.generation['realism-agreement'].$get({ query: { study } }));
}
