import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/typedClient.ts';
import { offline, readRated } from '../rate/rateApi.ts';
import { safeNextPath } from './safeNextPath.ts';
import styles from './auth.module.css';

/** Email and password sign-in for admins and authors; returns to where they were going. */
export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: async () => readRated(await api.auth.login.$post({ json: { email, password } }).catch(offline)),
    onSuccess: (me) => {
      // Only a path on this site: a crafted ?next= must not send anyone elsewhere.
      const next = safeNextPath(new URLSearchParams(window.location.search).get('next'));
      window.location.assign(next ?? (me.role === 'rater' ? '/rate' : '/studio'));
    },
  });
  const busy = signIn.isPending;
  const error = signIn.error?.message ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) signIn.mutate();
  };

  return (
    <main className={styles.authPage}>
      <form className={styles.authCard} onSubmit={submit} data-testid="signin-form">
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
        <p className={styles.authHint}>
          Raters: use the link you were sent. No account? Ask an admin for an invite link.
        </p>
      </form>
    </main>
  );
}
