import { generateScenariosJob } from '../generation/generation.job.ts';
import { calibrationRejudgeJob } from '../calibration/calibration-rejudge.job.ts';
import { rejudgeRunJob } from '../runs/rejudge.job.ts';
import type { JobKind } from './job-kind.ts';

/** Every kind of background job a server process runs (add yours here: see job-kind.ts). */
export const JOB_KINDS: readonly JobKind<never, unknown, never>[] = [
  rejudgeRunJob as JobKind<never, unknown, never>,
  calibrationRejudgeJob as JobKind<never, unknown, never>,
  generateScenariosJob as JobKind<never, unknown, never>,
];
