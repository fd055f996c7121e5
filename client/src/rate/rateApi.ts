import { hc } from 'hono/client';
import type { MyRaterStudy } from '../../../schema/api/rater-home.ts';
import type {
  NextTaskResponse,
  PreviousRatingResponse,
  RaterStudy,
  RealismFlagSchema,
} from '../../../schema/api/studies.ts';
import type { ApiType } from '../../../server/app.ts';
import type { z } from 'zod';
import { sessionHeaders } from '../api/session.ts';

// The rater app's few requests. Its own small reader instead of the studio's `readJson`, whose
// error-envelope parsing would pull zod into a bundle that must stay small.

const api = hc<ApiType>('/api', { headers: sessionHeaders });

export type RealismFlag = z.infer<typeof RealismFlagSchema>;
export type RaterTask = Extract<NextTaskResponse, { kind: 'task' }>;

/** A refused request: the HTTP status, the error code and the server's message. */
export class RateRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function read<T>(res: { ok: boolean; status: number; json(): Promise<unknown> } | null): Promise<T> {
  if (!res) throw new RateRequestError(0, 'network', 'cannot reach the server; check your connection and try again');
  const body = (await res.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
  if (res.ok) return body as T;
  throw new RateRequestError(
    res.status,
    body?.error?.code ?? 'internal',
    body?.error?.message ?? `the server answered ${res.status}`,
  );
}

const offline = () => null;

export async function fetchRaterStudy(studyId: string): Promise<RaterStudy> {
  return read<RaterStudy>(await api.rate.studies[':id'].$get({ param: { id: studyId } }).catch(offline));
}

export async function fetchNextTask(studyId: string): Promise<NextTaskResponse> {
  return read<NextTaskResponse>(await api.rate.studies[':id'].next.$get({ param: { id: studyId } }).catch(offline));
}

export async function submitRating(
  studyId: string,
  body: { leaseId: string; realism: number; flags: RealismFlag[]; comment: string },
): Promise<void> {
  await read(await api.rate.studies[':id'].ratings.$post({ param: { id: studyId }, json: body }).catch(offline));
}

/** The rater's latest rating in the study (or the one before `before`), to look at or change; null when there is none. */
export async function fetchPreviousRating(studyId: string, before?: string): Promise<PreviousRatingResponse | null> {
  const res = await api.rate.studies[':id'].ratings.previous
    .$get({ param: { id: studyId }, query: before ? { before } : {} })
    .catch(offline);
  if (res?.status === 404) return null;
  return read<PreviousRatingResponse>(res);
}

/** Changes one of the rater's own ratings; the server keeps the answer it replaces. */
export async function reviseRating(
  studyId: string,
  ratingId: string,
  body: { realism: number; flags: RealismFlag[]; comment: string },
): Promise<void> {
  await read(
    await api.rate.studies[':id'].ratings[':ratingId']
      .$put({ param: { id: studyId, ratingId }, json: body })
      .catch(offline),
  );
}

export async function skipTask(studyId: string, leaseId: string): Promise<void> {
  await read(await api.rate.studies[':id'].skip.$post({ param: { id: studyId }, json: { leaseId } }).catch(offline));
}

/** The studies the signed-in person joined as a rater, with their progress (the rater app's home). */
export async function fetchMyStudies(): Promise<MyRaterStudy[]> {
  return (await read<{ studies: MyRaterStudy[] }>(await api.rate.mine.$get().catch(offline))).studies;
}
