import type { MyRaterStudy } from '../../../schema/api/rater-home.ts';
import type {
  NextTaskResponse,
  PreviousRatingResponse,
  RaterStudy,
  RealismFlagSchema,
  ReviseRatingRequest,
  SubmitRatingRequest,
} from '../../../schema/api/studies.ts';
import type { z } from 'zod';
import { api, type SuccessBody, type TypedResponse } from '../api/typedClient.ts';

// The rater app's few requests. Its own small reader instead of the studio's `readJson`, whose
// error-envelope parsing would pull zod into a bundle that must stay small. The response types
// are the ones the typed client infers from the server's routes (no casts); the `Promise<...>`
// annotations below name the schema types those inferred types must match, so a route that
// drifts from its schema fails the type check here.

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

/** Reads a typed response (null: the request never reached the server): its 2xx body, or throws RateRequestError. */
export async function readRated<R extends TypedResponse>(res: R | null): Promise<SuccessBody<R>> {
  if (!res) throw new RateRequestError(0, 'network', 'cannot reach the server; check your connection and try again');
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as SuccessBody<R>;
  const { code, message } = envelopeOf(body);
  throw new RateRequestError(res.status, code ?? 'internal', message ?? `the server answered ${res.status}`);
}

/** The code and message of an error envelope, read field by field (a proxy or a crash may answer anything). */
function envelopeOf(body: unknown): { code?: string; message?: string } {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
  if (typeof error !== 'object' || error === null) return {};
  return {
    code: 'code' in error && typeof error.code === 'string' ? error.code : undefined,
    message: 'message' in error && typeof error.message === 'string' ? error.message : undefined,
  };
}

/** Turns a failed fetch (offline, DNS) into null, which readRated reports as a network error. */
export const offline = () => null;

export async function fetchRaterStudy(studyId: string): Promise<RaterStudy> {
  return readRated(await api.rate.studies[':id'].$get({ param: { id: studyId } }).catch(offline));
}

export async function fetchNextTask(studyId: string): Promise<NextTaskResponse> {
  return readRated(await api.rate.studies[':id'].next.$get({ param: { id: studyId } }).catch(offline));
}

export async function submitRating(studyId: string, body: SubmitRatingRequest): Promise<void> {
  await readRated(await api.rate.studies[':id'].ratings.$post({ param: { id: studyId }, json: body }).catch(offline));
}

/** The rater's latest rating in the study (or the one before `before`), to look at or change; null when there is none. */
export async function fetchPreviousRating(studyId: string, before?: string): Promise<PreviousRatingResponse | null> {
  const res = await api.rate.studies[':id'].ratings.previous
    .$get({ param: { id: studyId }, query: before ? { before } : {} })
    .catch(offline);
  if (res?.status === 404) return null;
  return readRated(res);
}

/** Changes one of the rater's own ratings; the server keeps the answer it replaces. */
export async function reviseRating(studyId: string, ratingId: string, body: ReviseRatingRequest): Promise<void> {
  await readRated(
    await api.rate.studies[':id'].ratings[':ratingId']
      .$put({ param: { id: studyId, ratingId }, json: body })
      .catch(offline),
  );
}

export async function skipTask(studyId: string, leaseId: string): Promise<void> {
  await readRated(
    await api.rate.studies[':id'].skip.$post({ param: { id: studyId }, json: { leaseId } }).catch(offline),
  );
}

/** The studies the signed-in person joined as a rater, with their progress (the rater app's home). */
export async function fetchMyStudies(): Promise<MyRaterStudy[]> {
  return (await readRated(await api.rate.mine.$get().catch(offline))).studies;
}
