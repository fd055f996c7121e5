import { sessionHeaders } from '../api/session.ts';

/** Ends the session on the server, then shows the sign-in page. */
export async function signOut(): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST', headers: sessionHeaders() }).catch(() => undefined);
  window.location.assign('/signin');
}
