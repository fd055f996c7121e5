import { z } from 'zod';
import type { CandidateScreens, CandidateStatus, GenerationJobSettings } from '../generation.ts';
import { CandidateStatusSchema } from '../generation.ts';
import type { Job } from './jobs.ts';

// Contracts of the generation endpoints (issue 18): jobs, the review queue, realism-screen agreement.

export { GenerationJobSettingsSchema as StartGenerationJobSchema } from '../generation.ts';

/** A generation job as the studio shows it: the background job (status, progress) and what its candidates came to. */
export interface GenerationJobSummary {
  job: Job;
  settings: GenerationJobSettings;
  counts: Record<CandidateStatus, number>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

// GET /api/generation/candidates?status=&job=
export const CandidateListQuerySchema = z.object({
  status: CandidateStatusSchema.optional(),
  job: z.string().uuid('not a job id').optional(),
});

export interface CandidateSummary {
  id: string;
  jobId: string;
  position: number;
  behavior: string;
  variation: Record<string, string>;
  status: CandidateStatus;
  scenarioId: string | null;
  title: string | null;
  reason: string | null;
  repaired: boolean;
  nearest: { id: string; similarity: number } | null;
  realismScore: number | null;
}

// GET /api/generation/candidates/:id
export interface CandidateDetail extends CandidateSummary {
  yaml: string | null;
  screens: CandidateScreens | null;
  model: string;
  /** The nearest existing scenario (the corpus, or an earlier candidate of the batch), to read beside it. */
  nearestScenario: { id: string; title: string; in: 'corpus' | 'batch'; yaml: string } | null;
}

// POST /api/generation/candidates/:id/reject
export const RejectCandidateSchema = z.object({
  reason: z.string().trim().min(3, 'say why (at least 3 characters): later jobs are told not to repeat it').max(2000),
});

// GET /api/generation/realism-agreement?study=
export const RealismAgreementQuerySchema = z.object({ study: z.string().min(1) });
