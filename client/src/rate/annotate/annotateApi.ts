import { hc } from 'hono/client';
import type { NextAnnotationResponse } from '../../../../schema/api/annotation.ts';
import type { ApiType } from '../../../../server/app.ts';
import { sessionHeaders } from '../../api/session.ts';
import { RateRequestError } from '../rateApi.ts';

// The annotator's requests. Types only from schema/ and the server (no zod at run time): this is
// part of the small rater bundle.

const api = hc<ApiType>('/api', { headers: sessionHeaders });
const studyRoute = api.rate.annotation[':id'];

export type AnnotationTask = Extract<NextAnnotationResponse, { kind: 'task' }>;
export type AnnotationDone = Extract<NextAnnotationResponse, { kind: 'done' }>;
export type JudgeHolds = 'yes' | 'partly' | 'no';

/** What an annotation study tells its annotators. */
export interface AnnotationStudyInfo {
  id: string;
  name: string;
  instructions: string;
  status: 'open' | 'closed';
  revealJudge: boolean;
}

/** The judge's verdict, shown after the annotator has given theirs (when the study reveals it). */
export interface JudgeReveal {
  score: number | null;
  rationale: string | null;
  passMet: number[];
  failMet: number[];
}

export interface VerdictInput {
  leaseId: string;
  score: number;
  passMet: number[];
  failMet: number[];
  reason: string;
  confidence: number;
  /** Scores on the study's extra dimensions, by id. */
  dimensions: Record<string, number>;
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

export async function fetchAnnotationStudy(studyId: string): Promise<AnnotationStudyInfo> {
  return read<AnnotationStudyInfo>(await studyRoute.$get({ param: { id: studyId } }).catch(offline));
}

export async function fetchNextAnnotation(studyId: string): Promise<NextAnnotationResponse> {
  return read<NextAnnotationResponse>(await studyRoute.next.$get({ param: { id: studyId } }).catch(offline));
}

export async function submitVerdict(
  studyId: string,
  verdict: VerdictInput,
): Promise<{ annotationId: string; duplicate: boolean; reveal: JudgeReveal | null }> {
  return read(await studyRoute.annotations.$post({ param: { id: studyId }, json: verdict }).catch(offline));
}

export async function sendJudgeHolds(
  studyId: string,
  annotationId: string,
  holds: JudgeHolds,
  comment: string,
): Promise<void> {
  await read(
    await studyRoute.annotations[':annotationId']['judge-holds']
      .$post({ param: { id: studyId, annotationId }, json: { holds, comment } })
      .catch(offline),
  );
}
