import type { JudgeVersion } from '../../../../schema/judge.ts';
import { JobAcceptedSchema, type JobAccepted } from '../../../../schema/api/jobs.ts';
import { api, readJson } from '../../api/client.ts';

// One function per calibration endpoint the page calls; each returns parsed JSON or throws ApiError.

export type CalibrationResponse = Awaited<ReturnType<typeof fetchCalibration>>;
export type CalibrationReport = CalibrationResponse['report'];
export type MetricsWithCi = CalibrationReport['overall'];
export type Disagreement = CalibrationResponse['disagreements'][number];
export type ThresholdSweep = Awaited<ReturnType<typeof fetchThresholdSweep>>;

/**
 * The calibration report. `later`: at once, with the metrics but possibly without their intervals
 * (`intervalsPending`) while the server bootstraps them; `now`: waits for the intervals.
 */
export async function fetchCalibration(studyId: string, judgeVersionId: string, intervals: 'now' | 'later' = 'now') {
  return readJson(await api.calibration.$get({ query: { studyId, judgeVersionId, intervals } }));
}

/** Agreement on the extra dimensions the study's annotators rated (none: an empty list). */
export async function fetchDimensionAgreement(studyId: string, judgeVersionId: string) {
  return readJson(await api.calibration.dimensions.$get({ query: { studyId, judgeVersionId } }));
}

export async function fetchThresholdSweep(studyId: string, judgeVersionId: string) {
  return readJson(await api.calibration['threshold-sweep'].$get({ query: { studyId, judgeVersionId } }));
}

/** Queues judging the study's transcripts (all, or the held-out part a candidate is compared on) with the version: a background job. */
export async function rejudgeStudy(
  studyId: string,
  judgeVersionId: string,
  part: 'all' | 'heldout' = 'all',
): Promise<JobAccepted> {
  return JobAcceptedSchema.parse(
    await readJson(await api.calibration.rejudge.$post({ json: { studyId, judgeVersionId, part } })),
  );
}

/** One few-shot example as the author settled it: the score and the rationale the judge should learn. */
export interface ExampleDraft {
  transcriptId: string;
  score: number;
  rationale: string;
}

/** A new version of the judge with edited examples from the study's learn part. */
export async function makeFewShotVersion(
  studyId: string,
  judgeVersionId: string,
  examples: ExampleDraft[],
  reason: string,
): Promise<JudgeVersion> {
  return readJson(await api.calibration['few-shot'].$post({ json: { studyId, judgeVersionId, examples, reason } }));
}

/** The candidate against the current version on the held-out part, with paired intervals of each difference. */
export async function fetchHeldOutComparison(studyId: string, currentId: string, candidateId: string) {
  return readJson(await api.calibration.compare.$get({ query: { studyId, currentId, candidateId } }));
}
export type HeldOutComparison = Awaited<ReturnType<typeof fetchHeldOutComparison>>;

/** Promotes the candidate; a reason is required when the held-out comparison does not clear it. */
export async function promoteCandidate(studyId: string, currentId: string, candidateId: string, reason: string) {
  return readJson(await api.calibration.promote.$post({ json: { studyId, currentId, candidateId, reason } }));
}

export async function fetchTranscript(id: string) {
  return readJson(await api.dryruns[':id'].$get({ param: { id } }));
}
