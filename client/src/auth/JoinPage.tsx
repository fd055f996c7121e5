import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { InviteInfo } from '../../../schema/api/auth.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { acceptInvite, fetchInvite } from './invite.api.ts';
import { endSession } from './signOut.ts';
import { fetchMe } from './useMe.ts';
import styles from './auth.module.css';

/** Where a person goes once in: raters to the link's study (or their studies), the others to the studio. */
const landingOf = (role: string, studyId: string | null) =>
  role === 'rater' ? (studyId ? `/rate/${studyId}` : '/rate') : '/studio';

/**
 * An invite link: raters give a name and start; admins and authors also set an email and a
 * password (the first admin arrives here from the link the server prints at its first start).
 * A rater signed in in this browser is the same person coming back: if they joined the link's
 * study they go straight back to it; otherwise they join with the account they have.
 */
export function JoinPage({ token }: { token: string }) {
  const invite = useQuery({
    queryKey: queryKeys.invite(token),
    queryFn: () => fetchInvite(token),
    retry: false,
    staleTime: Infinity,
  });
  const join = useMutation({
    mutationFn: (body: { name: string; email?: string; password?: string }) => acceptInvite(token, body),
    onSuccess: ({ me, studyId }) => window.location.assign(landingOf(me.role, studyId)),
  });
  const joined = invite.data?.joined ? invite.data : null;
  useEffect(() => {
    if (joined) window.location.replace(landingOf('rater', joined.studyId));
  }, [joined]);
  // From the click until the next page loads: a joined person does not send twice.
  const busy = join.isPending || join.isSuccess;
  const problem = join.error?.message ?? null;

  if (!invite.data || joined) {
    return (
      <main className={styles.authPage}>
        <div className={styles.authCard}>
          {invite.error ? (
            <p className="form-error">{invite.error.message}</p>
          ) : (
            <p aria-busy="true">Checking your invite…</p>
          )}
        </div>
      </main>
    );
  }
  const { signedInAs } = invite.data;
  if (signedInAs)
    return (
      <ReturningRaterJoin
        name={signedInAs.name}
        busy={busy}
        problem={problem}
        onJoin={() => join.mutate({ name: signedInAs.name })}
      />
    );
  return <NewPersonJoin invite={invite.data} busy={busy} problem={problem} onJoin={(body) => join.mutate(body)} />;
}

/** A rater signed in on this browser joins with the account they have, or signs out to be someone else. */
function ReturningRaterJoin({
  name,
  busy,
  problem,
  onJoin,
}: {
  name: string;
  busy: boolean;
  problem: string | null;
  onJoin(): void;
}) {
  // Someone else on this browser: end that session (its CSRF token comes with the person), then
  // this page shows the join form.
  const notMe = async () => {
    await fetchMe().catch(() => null);
    await endSession();
    window.location.reload();
  };
  return (
    <main className={styles.authPage}>
      <form
        className={styles.authCard}
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) onJoin();
        }}
        data-testid="join-returning"
      >
        <h1>Join this study</h1>
        <p className={styles.authHint}>
          You are signed in as <strong>{name}</strong>. You join with the account you have: your ratings stay together.
        </p>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="join-continue">
          {busy ? 'Joining…' : `Continue as ${name}`}
        </button>
        <button type="button" className="link-button" onClick={() => void notMe()} data-testid="join-not-me">
          Not {name}? Sign out and join as someone else
        </button>
      </form>
    </main>
  );
}

/** A new person: a name; an admin or author also an email and a password. */
function NewPersonJoin({
  invite,
  busy,
  problem,
  onJoin,
}: {
  invite: InviteInfo;
  busy: boolean;
  problem: string | null;
  onJoin(body: { name: string; email?: string; password?: string }): void;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onJoin(invite.needsAccount ? { name, email, password } : { name });
  };
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
