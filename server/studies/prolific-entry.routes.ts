import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { CSRF_HEADER } from '../../schema/api/auth.ts';
import type { Db } from '../db/database.ts';
import { SESSION_COOKIE, setSessionCookie } from '../http/auth.ts';
import { clientAddress } from '../http/client-address.ts';
import { RateLimiter } from '../http/rate-limiter.ts';
import { refuse, tooFast } from '../http/refusal-page.ts';
import type { SecuritySettings } from '../http/security-settings.ts';
import {
  createSession,
  createUser,
  deleteSession,
  findSession,
  findUserByProlificPid,
} from '../people/people.repository.ts';
import { findStudy, joinStudy } from './study.repository.ts';

const IdParam = z.object({ id: z.string().regex(/^[a-z0-9-]{3,80}$/, 'not a study id') });
// Prolific ids are 24 hex characters; accept any short token of letters and digits.
const PlatformId = z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be 1 to 64 letters and digits');
const ProlificQuery = z.object({
  PROLIFIC_PID: PlatformId,
  STUDY_ID: PlatformId.optional(),
  SESSION_ID: PlatformId.optional(),
});

/** How fast crowd participants may arrive (see README: Security). */
export const PROLIFIC_ENTRY_LIMITS = {
  /** Entries from one address: 10 at once, then one a minute. */
  perAddress: { capacity: 10, refillMs: 60_000 },
  /** New participants of one study: 100 at once, then one a second (a launch on Prolific is a burst). */
  perStudy: { capacity: 100, refillMs: 1000 },
};

/**
 * GET /api/rate/prolific/:id?PROLIFIC_PID=&STUDY_ID=&SESSION_ID=: a crowd participant arrives from
 * the platform, with no account: the participant's rater is found or made, and signed in. An open,
 * unauthenticated GET, so it is rate limited per address and per study, and it never replaces the
 * session of someone signed in to the studio (a cross-site link could otherwise sign an admin out):
 * it asks them instead, with a form that POSTs back here with their session's CSRF token.
 */
export function prolificEntryRoutes(db: Db, security: SecuritySettings) {
  const byAddress = new RateLimiter(PROLIFIC_ENTRY_LIMITS.perAddress);
  const byStudy = new RateLimiter(PROLIFIC_ENTRY_LIMITS.perStudy);
  const badLink =
    (where: string) => (result: { success: boolean; error?: { issues: z.core.$ZodIssue[] } }, c: Context) => {
      if (result.success || !result.error) return;
      const what = result.error.issues.map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`);
      return refuse(c, 400, 'bad_request', 'This link is not right', `${what.join('; ')}.`);
    };

  /** The participant arrives; `confirmed`: a studio user asked to be signed out for it (POST). */
  const arrive = async (c: Context, id: string, query: z.infer<typeof ProlificQuery>, confirmed: boolean) => {
    const waitMs = byAddress.take(clientAddress(c, security.trustProxy));
    if (waitMs > 0) return tooFast(c, waitMs);
    const study = await findStudy(db, id);
    if (!study || study.status !== 'open')
      return refuse(c, 404, 'not_found', 'Study not open', 'This study is not open (or the link is wrong).');
    const { PROLIFIC_PID, STUDY_ID, SESSION_ID } = query;
    if (study.require_platform_ids && (!STUDY_ID || !SESSION_ID))
      return refuse(
        c,
        400,
        'bad_request',
        'Open this study from Prolific',
        'This study needs the STUDY_ID and SESSION_ID that Prolific adds to the link; start it from Prolific.',
      );

    const token = getCookie(c, SESSION_COOKIE);
    const current = token ? await findSession(db, token) : null;
    if (token && current && current.user.role !== 'rater') {
      if (!confirmed) {
        const here = new URL(c.req.url);
        return refuse(
          c,
          409,
          'conflict',
          'You are signed in to the studio',
          `You are signed in to the Crucible studio as ${current.user.name} (${current.user.role}). This link is for crowd participants: following it signs you out of the studio. Nothing has changed yet.`,
          {
            form: {
              action: `${here.pathname}${here.search}`,
              csrf: current.csrfToken,
              button: 'Sign out of the studio and continue as a participant',
            },
            link: { href: '/studio', text: 'Back to the studio' },
          },
        );
      }
      await deleteSession(db, token);
    } else if (current && current.user.prolific_pid === PROLIFIC_PID) {
      await joinStudy(db, study.id, current.user.id);
      return c.redirect(`/rate/${study.id}`, confirmed ? 303 : 302);
    }

    let user = await findUserByProlificPid(db, PROLIFIC_PID);
    if (!user) {
      const studyWaitMs = byStudy.take(study.id);
      if (studyWaitMs > 0) return tooFast(c, studyWaitMs);
      user = await createUser(db, {
        role: 'rater',
        kind: 'prolific',
        name: 'Prolific participant',
        prolificPid: PROLIFIC_PID,
      }).catch(async (err: unknown) => {
        // The same participant's other tab made them a moment ago (prolific_pid is unique).
        const made = await findUserByProlificPid(db, PROLIFIC_PID);
        if (!made) throw err;
        return made;
      });
    }
    await joinStudy(db, study.id, user.id);
    const session = await createSession(db, user.id);
    setSessionCookie(c, session.token, session.expiresAt, security);
    return c.redirect(`/rate/${study.id}`, confirmed ? 303 : 302);
  };

  return (
    new Hono()
      .get(
        '/:id',
        zValidator('param', IdParam, badLink('param')),
        zValidator('query', ProlificQuery, badLink('query')),
        (c) => arrive(c, c.req.valid('param').id, c.req.valid('query'), false),
      )
      // POST /api/rate/prolific/:id?...: the answer to the question above. Only with the session's
      // CSRF token (form field `csrf`, or the usual header): another site cannot sign anyone out.
      .post(
        '/:id',
        // Who asks, first: without the session and its token nothing is looked at.
        async (c, next) => {
          const token = getCookie(c, SESSION_COOKIE);
          const current = token ? await findSession(db, token) : null;
          if (!current)
            return refuse(c, 401, 'unauthenticated', 'Not signed in', 'There is no session here to sign out of.');
          const form = c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded')
            ? await c.req.parseBody()
            : {};
          const csrf = c.req.header(CSRF_HEADER) ?? form.csrf;
          if (typeof csrf !== 'string' || csrf !== current.csrfToken)
            return refuse(
              c,
              403,
              'forbidden',
              'Not confirmed',
              'This request did not come from the page that asked; nothing was changed.',
            );
          await next();
        },
        zValidator('param', IdParam, badLink('param')),
        zValidator('query', ProlificQuery, badLink('query')),
        async (c) => {
          return arrive(c, c.req.valid('param').id, c.req.valid('query'), true);
        },
      )
  );
}
