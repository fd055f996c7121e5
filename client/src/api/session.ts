// The signed-in session as the client holds it: only the CSRF token (the session cookie itself is
// httpOnly and never visible to scripts). Every state-changing request sends the token back.

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Headers for every API request. */
export function sessionHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Sends the person to sign in, coming back here afterwards. */
export function goToSignIn(): void {
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/signin?next=${encodeURIComponent(next)}`);
}
