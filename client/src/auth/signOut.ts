import { api } from '../api/typedClient.ts';

/** Ends this browser's session on the server (a failure leaves nothing to undo: the page goes on). */
export async function endSession(): Promise<void> {
  await api.auth.logout.$post().catch(() => undefined);
}

/** Ends the session on the server, then shows the sign-in page. */
export async function signOut(): Promise<void> {
  await endSession();
  window.location.assign('/signin');
}
