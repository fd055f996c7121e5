import { z } from 'zod';

/** Every error code the API can answer with; clients switch on these, never on messages. */
export const ErrorCodeSchema = z.enum([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'validation_failed',
  'invalid_id',
  'not_found',
  'already_exists',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** One problem inside a request, located as precisely as we can (a YAML line, a JSON path). */
export const ErrorIssueSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

/** The one error envelope on the wire: `{ error: { code, message, issues? } }`. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    issues: z.array(ErrorIssueSchema).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
