import type { CreatedInvite } from '../../../../schema/api/auth.ts';
import type { CreateStudyRequest, StudyResults, StudySummary } from '../../../../schema/api/studies.ts';
import { api, readJson } from '../../api/client.ts';
import { fetchScenarioList } from '../../api/scenarios.api.ts';

// One function per realism-study endpoint the studio calls; each returns parsed JSON or throws ApiError.

export type StudyFilter = NonNullable<CreateStudyRequest['filter']>;

export async function fetchStudies(): Promise<StudySummary[]> {
  return (await readJson(await api.studies.$get())).studies;
}

export async function createStudy(body: CreateStudyRequest): Promise<{ id: string; items: number }> {
  return readJson(await api.studies.$post({ json: body }));
}

export async function fetchStudyResults(id: string, excludeFlagged: boolean): Promise<StudyResults> {
  return readJson(
    await api.studies[':id'].results.$get({
      param: { id },
      query: { excludeFlagged: String(excludeFlagged) as 'true' | 'false' },
    }),
  );
}

export async function setGold(
  id: string,
  scenarioId: string,
  range: { min: number; max: number } | null,
): Promise<void> {
  await readJson(
    await api.studies[':id'].gold.$put({
      param: { id },
      json: { scenarioId, min: range?.min ?? null, max: range?.max ?? null },
    }),
  );
}

export async function setStudyOpen(id: string, open: boolean): Promise<void> {
  const route = open ? api.studies[':id'].open : api.studies[':id'].close;
  await readJson(await route.$post({ param: { id } }));
}

export async function exportToAnnotations(id: string): Promise<{ files: string[]; ratings: number }> {
  return readJson(await api.studies[':id'].export.$post({ param: { id } }));
}

export async function importStudy(jsonl: string): Promise<{ id: string; ratings: number }> {
  return readJson(await api.studies.import.$post({ json: { jsonl } }));
}

export async function createRaterInvite(studyId: string, maxUses: number): Promise<CreatedInvite> {
  return readJson(await api.admin.invites.$post({ json: { role: 'rater', studyId, maxUses } }));
}

/**
 * How many scenarios a study with this filter would cover: the server takes the matches without
 * errors that are not retired. Two one-row queries give that from their counts and facets.
 */
export async function countSelected(
  filter: StudyFilter,
  signal?: AbortSignal,
): Promise<{ selected: number; leftOut: number }> {
  const [all, withErrors] = await Promise.all([
    fetchScenarioList({ ...filter, limit: 1 }, signal),
    fetchScenarioList({ ...filter, problems: 'errors', limit: 1 }, signal),
  ]);
  if (filter.status === 'retired') return { selected: 0, leftOut: all.total };
  // With a status filter, none are retired; without one, the status facet counts the retired.
  const retired = filter.status ? 0 : (all.facets.status.retired ?? 0);
  const retiredWithErrors = filter.status ? 0 : (withErrors.facets.status.retired ?? 0);
  const leftOut = withErrors.total + retired - retiredWithErrors;
  return { selected: all.total - leftOut, leftOut };
}

/** The link a Prolific study points at; Prolific fills in the three placeholders. */
export function prolificUrl(studyId: string): string {
  return `${window.location.origin}/api/rate/prolific/${studyId}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`;
}
