import { useState, type FormEvent } from 'react';
import { safeNextPath } from './safeNextPath.ts';
import rateStyles from '../rate/rate.module.css';

/** Email and password sign-in for admins and authors; returns to where they were going. */
export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }).catch(() => null);
    setBusy(false);
    if (!res) return setError('Cannot reach the server.');
    const body = (await res.json().catch(() => null)) as { role?: string; error?: { message: string } } | null;
    if (!res.ok) return setError(body?.error?.message ?? `The server answered ${res.status}.`);
    // Only a path on this site: a crafted ?next= must not send anyone elsewhere.
    const next = safeNextPath(new URLSearchParams(window.location.search).get('next'));
    window.location.assign(next ?? (body?.role === 'rater' ? '/rate' : '/studio'));
  };

  return (
    <main className={rateStyles.authPage}>
      <form className={rateStyles.authCard} onSubmit={submit} data-testid="signin-form">
        <h1>
          <span className="brand-mark" aria-hidden>
            ◆
          </span>{' '}
          Crucible
        </h1>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className={rateStyles.authHint}>
          Raters: use the link you were sent. No account? Ask an admin for an invite link.
        </p>
      </form>
    </main>
  );
}
