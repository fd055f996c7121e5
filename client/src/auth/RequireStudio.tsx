import { useEffect, type ReactNode } from 'react';
import { goToSignIn } from '../api/session.ts';
import { useMe } from './useMe.ts';

/** Renders the studio only for authors and admins: strangers sign in, raters go to their own app. */
export function RequireStudio({ children }: { children: ReactNode }) {
  const me = useMe();
  const role = me.data?.role;
  useEffect(() => {
    if (me.isSuccess && me.data === null) goToSignIn();
    if (role === 'rater') window.location.assign('/rate');
  }, [me.isSuccess, me.data, role]);
  if (me.isError) return <main className="centered-message">Cannot reach the server: {String(me.error.message)}</main>;
  if (!me.data || role === 'rater')
    return (
      <main className="centered-message" aria-busy="true">
        Loading…
      </main>
    );
  return <>{children}</>;
}
