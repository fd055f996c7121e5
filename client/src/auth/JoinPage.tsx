import { useEffect, useState, type FormEvent } from 'react';
import type { InviteInfo } from '../../../schema/api/auth.ts';
import { fetchMe } from './useMe.ts';
import { sessionHeaders } from '../api/session.ts';
import styles from './auth.module.css';

/**
 * An invite link: raters give a name and start; admins and authors also set an email and a
 * password (the first admin arrives here from the link the server prints at its first start).
 * A rater signed in in this browser is the same person coming back: if they joined the link's
 * study they go straight back to it; otherwise they join with the account they have.
 */
export function JoinPage({ token }: { token: string }) {
  const [invite, setInvite] = useState<InviteInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch(`/api/auth/invites/${encodeURIComponent(token)}`)
      .then(async (res) => {
        const body = (await res.json()) as InviteInfo & { error?: { message: string } };
        if (res.ok && body.joined) window.location.replace(body.studyId ? `/rate/${body.studyId}` : '/rate');
        else if (res.ok) setInvite(body);
        else setProblem(body.error?.message ?? 'This invite link does not work.');
      })
      .catch(() => setProblem('Cannot reach the server.'));
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const payload = invite?.needsAccount
      ? { name, email, password }
      : { name: invite?.signedInAs ? invite.signedInAs.name : name };
    const res = await fetch(`/api/auth/invites/${encodeURIComponent(token)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    }).catch(() => null);
    setBusy(false);
    if (!res) return setProblem('Cannot reach the server.');
    const body = (await res.json().catch(() => null)) as {
      studyId?: string | null;
      me?: { role: string };
      error?: { message: string };
    } | null;
    if (!res.ok) return setProblem(body?.error?.message ?? `The server answered ${res.status}.`);
    window.location.assign(body?.me?.role === 'rater' ? (body.studyId ? `/rate/${body.studyId}` : '/rate') : '/studio');
  };

  // Someone else on this browser: end that session, then this page shows the join form.
  const notMe = async () => {
    await fetchMe().catch(() => null);
    await fetch('/api/auth/logout', { method: 'POST', headers: sessionHeaders() }).catch(() => undefined);
    window.location.reload();
  };

  if (invite?.signedInAs) {
    return (
      <main className={styles.authPage}>
        <form className={styles.authCard} onSubmit={submit} data-testid="join-returning">
          <h1>Join this study</h1>
          <p className={styles.authHint}>
            You are signed in as <strong>{invite.signedInAs.name}</strong>. You join with the account you have: your
            ratings stay together.
          </p>
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          <button className="btn btn-primary" type="submit" disabled={busy} data-testid="join-continue">
            {busy ? 'Joining…' : `Continue as ${invite.signedInAs.name}`}
          </button>
          <button type="button" className="link-button" onClick={() => void notMe()} data-testid="join-not-me">
            Not {invite.signedInAs.name}? Sign out and join as someone else
          </button>
        </form>
      </main>
    );
  }
  if (!invite) {
    return (
      <main className={styles.authPage}>
        <div className={styles.authCard}>
          {problem ? <p className="form-error">{problem}</p> : <p aria-busy="true">Checking your invite…</p>}
        </div>
      </main>
    );
  }
  return (
    <main className={styles.authPage}>
      <form className={styles.authCard} onSubmit={submit} data-testid="join-form">
        <h1>Join Crucible</h1>
        <p className={styles.authHint}>
          You are invited as {invite.role === 'admin' ? 'an admin' : invite.role === 'author' ? 'an author' : 'a rater'}
          .
        </p>
        <label>
          Your name
          <input
            required
            autoFocus
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="join-name"
          />
        </label>
        {invite.needsAccount && (
          <>
            <label>
              Email
              <input
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                data-testid="join-email"
              />
            </label>
            <label>
              Password (at least 10 characters)
              <input
                type="password"
                autoComplete="new-password"
                required
                minLength={10}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="join-password"
              />
            </label>
          </>
        )}
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="join-submit">
          {busy ? 'Joining…' : invite.role === 'rater' ? 'Start rating' : 'Create account'}
        </button>
      </form>
    </main>
  );
}
