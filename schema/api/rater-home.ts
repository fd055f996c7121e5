import { z } from 'zod';

// The rater app's home (/rate): the studies a signed-in rater has joined, to come back to.

// GET /api/rate/mine
export const MyRaterStudySchema = z.object({
  id: z.string(),
  /** realism: rate scenarios; annotation: give verdicts on transcripts. */
  kind: z.enum(['realism', 'annotation']),
  name: z.string(),
  status: z.enum(['open', 'closed']),
  /** Tasks this person has answered, and how many their batch has (see batchTotal in server/studies/assignment.ts). */
  done: z.number(),
  total: z.number(),
  joinedAt: z.string().nullable(),
});
export type MyRaterStudy = z.infer<typeof MyRaterStudySchema>;
export const MyRaterStudiesSchema = z.object({ studies: z.array(MyRaterStudySchema) });
export type MyRaterStudies = z.infer<typeof MyRaterStudiesSchema>;
