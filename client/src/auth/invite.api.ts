import type { z } from 'zod';
import type { AcceptedInvite, AcceptInviteRequestSchema, InviteInfo } from '../../../schema/api/auth.ts';
import { api } from '../api/typedClient.ts';
import { offline, readRated } from '../rate/rateApi.ts';

// The join page's requests, through the typed client and the rater app's reader (no zod at run
// time: the join page is part of the rater bundle). The return types name the schema's, so a
// route that drifts from its schema fails tsc here.

/** What an invite link is for, and whether the rater signed in here already joined its study. */
export async function fetchInvite(token: string): Promise<InviteInfo> {
  return readRated(await api.auth.invites[':token'].$get({ param: { token } }).catch(offline));
}

/** Joins through the link: a rater with a name; an admin or author with an email and a password too. */
export async function acceptInvite(
  token: string,
  body: z.input<typeof AcceptInviteRequestSchema>,
): Promise<AcceptedInvite> {
  return readRated(await api.auth.invites[':token'].accept.$post({ param: { token }, json: body }).catch(offline));
}
