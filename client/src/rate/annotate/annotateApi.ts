import type {
  JudgeHoldsRequestSchema,
  NextAnnotationResponse,
  SubmitAnnotationRequestSchema,
  SubmitAnnotationResponseSchema,
} from '../../../../schema/api/annotation.ts';
import type { z } from 'zod';
import { api } from '../../api/typedClient.ts';
import { offline, readRated } from '../rateApi.ts';

// The annotator's requests. Types only from schema/ and the server's routes (no zod at run time):
// this is part of the small rater bundle. Each response is the type the typed client infers from
// the route; the return types name the schema's, so a route that drifts from its schema fails tsc.

const studyRoute = api.rate.annotation[':id'];

export type AnnotationTask = Extract<NextAnnotationResponse, { kind: 'task' }>;
export type AnnotationDone = Extract<NextAnnotationResponse, { kind: 'done' }>;
export type JudgeHolds = z.input<typeof JudgeHoldsRequestSchema>['holds'];

/** What an annotation study tells its annotators (GET /api/rate/annotation/:id, as the route answers it). */
export type AnnotationStudyInfo = Awaited<ReturnType<typeof fetchAnnotationStudy>>;

/** The answer to a verdict: when the study reveals the judge, its verdict to weigh. */
export type SubmitAnnotationResponse = z.infer<typeof SubmitAnnotationResponseSchema>;
/** The judge's verdict, shown after the annotator has given theirs (when the study reveals it). */
export type JudgeReveal = NonNullable<SubmitAnnotationResponse['reveal']>;

/** An annotator's verdict as the form sends it (every field: the form always has them). */
export type VerdictInput = Required<z.input<typeof SubmitAnnotationRequestSchema>>;

export async function fetchAnnotationStudy(studyId: string) {
  return readRated(await studyRoute.$get({ param: { id: studyId } }).catch(offline));
}

export async function fetchNextAnnotation(studyId: string): Promise<NextAnnotationResponse> {
  return readRated(await studyRoute.next.$get({ param: { id: studyId } }).catch(offline));
}

export async function submitVerdict(studyId: string, verdict: VerdictInput): Promise<SubmitAnnotationResponse> {
  return readRated(await studyRoute.annotations.$post({ param: { id: studyId }, json: verdict }).catch(offline));
}

export async function sendJudgeHolds(
  studyId: string,
  annotationId: string,
  holds: JudgeHolds,
  comment: string,
): Promise<void> {
  await readRated(
    await studyRoute.annotations[':annotationId']['judge-holds']
      .$post({ param: { id: studyId, annotationId }, json: { holds, comment } })
      .catch(offline),
  );
}
