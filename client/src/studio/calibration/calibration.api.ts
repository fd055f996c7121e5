import type { JudgeVersion } from '../../../../schema/judge.ts';
import { api, readJson } from '../../api/client.ts';

// One function per calibration endpoint the page calls; each returns parsed JSON or throws ApiError.

export const calibrationKeys = {
  all: ['calibration'] as const,
  report: (studyId: string, judgeVersionId: string) => ['calibration', 'report', studyId, judgeVersionId] as const,
  sweep: (studyId: string, judgeVersionId: string) => ['calibration', 'sweep', studyId, judgeVersionId] as const,
  transcript: (id: string) => ['calibration', 'transcript', id] as const,
};

export type CalibrationResponse = Awaited<ReturnType<typeof fetchCalibration>>;
export type CalibrationReport = CalibrationResponse['report'];
export type MetricsWithCi = CalibrationReport['overall'];
export type Disagreement = CalibrationResponse['disagreements'][number];
export type ThresholdSweep = Awaited<ReturnType<typeof fetchThresholdSweep>>;

export async function fetchCalibration(studyId: string, judgeVersionId: string) {
  return readJson(await api.calibration.$get({ query: { studyId, judgeVersionId } }));
}

export async function fetchThresholdSweep(studyId: string, judgeVersionId: string) {
  return readJson(await api.calibration['threshold-sweep'].$get({ query: { studyId, judgeVersionId } }));
}

/** Judges every transcript of the study with the version; answers when all are done. */
export async function rejudgeStudy(
  studyId: string,
  judgeVersionId: string,
): Promise<{ scored: number; errors: number }> {
  return readJson(await api.calibration.rejudge.$post({ json: { studyId, judgeVersionId } }));
}

/** A new version of the judge with the chosen disagreements (the humans' verdicts and reasons) as few-shot examples. */
export async function makeFewShotVersion(
  studyId: string,
  judgeVersionId: string,
  transcriptIds: string[],
  reason: string,
): Promise<JudgeVersion> {
  return readJson(
    await api.calibration['few-shot'].$post({ json: { studyId, judgeVersionId, transcriptIds, reason } }),
  );
}

export async function fetchTranscript(id: string) {
  return readJson(await api.dryruns[':id'].$get({ param: { id } }));
}
