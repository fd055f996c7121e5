import { z } from 'zod';

/** Who may do what: admins run studies and people; authors write and run scenarios; raters rate. */
export const RoleSchema = z.enum(['admin', 'author', 'rater']);
export type Role = z.infer<typeof RoleSchema>;

/** The signed-in person, as the client sees them. */
export const MeSchema = z.object({
  id: z.string(),
  role: RoleSchema,
  name: z.string(),
  /** Raters are shown to others only by pseudonym. */
  pseudonym: z.string(),
  /** Send back in the X-CSRF-Token header on every state-changing request. */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof MeSchema>;

export const CSRF_HEADER = 'x-csrf-token';

// POST /api/auth/login
export const LoginRequestSchema = z.strictObject({
  email: z.email().max(200),
  password: z.string().min(1).max(500),
});

// GET /api/auth/invites/:token
export const InviteInfoSchema = z.object({
  role: RoleSchema,
  studyId: z.string().nullable(),
  needsAccount: z.boolean(),
  /** The signed-in rater opening the link already joined its study: they continue, nothing is asked. */
  joined: z.boolean(),
  /** A rater signed in in this browser, who would join with the account they have (no new person). */
  signedInAs: z.object({ name: z.string(), pseudonym: z.string() }).nullable(),
});
export type InviteInfo = z.infer<typeof InviteInfoSchema>;

// POST /api/auth/invites/:token/accept: admins and authors create an account; raters just a name
export const AcceptInviteRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  email: z.email().max(200).optional(),
  password: z.string().min(10, 'a password needs at least 10 characters').max(500).optional(),
});

/** The answer to an accepted invite: the person now signed in, and the study a rater joined. */
export const AcceptedInviteSchema = z.object({ me: MeSchema, studyId: z.string().nullable() });
export type AcceptedInvite = z.infer<typeof AcceptedInviteSchema>;

// POST /api/admin/invites
export const CreateInviteRequestSchema = z.strictObject({
  role: RoleSchema,
  studyId: z.string().optional().describe('For rater invites: the study they join.'),
  maxUses: z.number().int().min(1).max(10_000).default(1),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
});
export const CreatedInviteSchema = z.object({
  url: z.string(),
  token: z.string(),
  role: RoleSchema,
  expiresAt: z.string(),
  maxUses: z.number(),
});
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;

export const UserSummarySchema = z.object({
  id: z.string(),
  role: RoleSchema,
  name: z.string(),
  pseudonym: z.string(),
  email: z.string().nullable(),
  kind: z.enum(['account', 'invite', 'prolific']),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;
