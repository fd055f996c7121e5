import type { ReactNode } from 'react';
import { RateRequestError } from './rateApi.ts';
import styles from './rate.module.css';

/** A whole-page message of the rater app (loading, signed out, not available). */
export function RaterMessage({ title, children, busy }: { title: string; children?: ReactNode; busy?: boolean }) {
  return (
    <main className={styles.ratePage}>
      <section className={styles.rateCard} aria-busy={busy}>
        <h1>{title}</h1>
        {children && <p>{children}</p>}
      </section>
    </main>
  );
}

/**
 * What a rater page shows before its study is there: a sign-in hint, a clear refusal for a study
 * that is not theirs, an error with a retry, or loading. Null once the study has loaded.
 */
export function raterGate({
  studyId,
  signedOut,
  failure,
  loaded,
  onRetry,
}: {
  studyId: string;
  signedOut: boolean;
  failure: Error | null;
  loaded: boolean;
  onRetry(): void;
}): ReactNode | null {
  if (signedOut) {
    return (
      <RaterMessage title="You are not signed in">
        Open the study link you were given again to continue. Have an account?{' '}
        <a href={`/signin?next=${encodeURIComponent(`/rate/${studyId}`)}`}>Sign in</a>.
      </RaterMessage>
    );
  }
  if (failure) {
    const notYours = failure instanceof RateRequestError && failure.status === 404;
    return (
      <RaterMessage title={notYours ? 'This study is not available to you' : 'Something went wrong'}>
        {notYours ? 'Check the link you were given; it may be for another study.' : failure.message}
        {!notYours && (
          <button type="button" className="btn" onClick={onRetry}>
            Try again
          </button>
        )}
      </RaterMessage>
    );
  }
  return loaded ? null : <RaterMessage title="Loading…" busy />;
}
