import { useEffect, useState } from 'react';
import type { NextTaskResponse, RaterStudy } from '../../../schema/api/studies.ts';
import styles from './rate.module.css';

type Done = Extract<NextTaskResponse, { kind: 'done' }>;

const REDIRECT_SECONDS = 5;

const MESSAGES: Record<Done['reason'], { title: string; text: string }> = {
  'batch-complete': { title: 'All done, thank you!', text: 'You have rated every scenario in your batch.' },
  'no-more-tasks': {
    title: 'Nothing left to rate, thank you!',
    text: 'Every scenario you could rate has enough ratings for now.',
  },
  'study-closed': {
    title: 'This study is closed',
    text: 'It is not taking ratings any more. Thank you for your help.',
  },
};

/** Only web addresses: a completion URL is followed automatically, so nothing else may be. */
const safeUrl = (url: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
};

/** The end: a thank-you; crowd raters get their completion code and go back to the platform. */
export function DoneView({
  done,
  crowd,
  onPrevious,
}: {
  done: Done;
  crowd?: RaterStudy['crowd'];
  /** Look at (and change) one's own ratings: offered while the study is open and nobody is being sent on. */
  onPrevious?: () => void;
}) {
  const message = MESSAGES[done.reason];
  // A crowd participant who stopped short of the batch: no code, and they should hear why.
  const incomplete = !!crowd && !done.completion;
  const target = done.completion ? safeUrl(done.completion.url) : null;
  const [left, setLeft] = useState(REDIRECT_SECONDS);

  useEffect(() => {
    if (!target) return;
    const tick = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    const go = setTimeout(() => window.location.assign(target), REDIRECT_SECONDS * 1000);
    return () => {
      clearInterval(tick);
      clearTimeout(go);
    };
  }, [target]);

  return (
    <main className={styles.ratePage}>
      <section className={`${styles.rateCard} ${styles.rateDone}`} data-testid="rate-done" data-reason={done.reason}>
        <h1>{message.title}</h1>
        <p>{message.text}</p>
        <p className="muted">
          You rated {done.progress.done} scenario{done.progress.done === 1 ? '' : 's'}.
        </p>
        {done.reason === 'no-more-tasks' && !incomplete && <p>You can close this page.</p>}
        {onPrevious && done.reason !== 'study-closed' && !target && done.progress.done > 0 && (
          <p>
            <button type="button" className="btn" data-testid="rate-previous" onClick={onPrevious}>
              Look over your last rating
            </button>
          </p>
        )}
        {incomplete && (
          <p data-testid="rate-incomplete">
            This study’s completion code needs {crowd.ratingsRequired} rating{crowd.ratingsRequired === 1 ? '' : 's'},
            so there is no code for this session. Please return the study on the platform you came from, or write to the
            researcher.
          </p>
        )}
        {done.completion && (
          <>
            <p>Your completion code:</p>
            <p className={`${styles.rateCode} mono`} data-testid="completion-code">
              {done.completion.code}
            </p>
            {target ? (
              <p>
                Taking you back in {left} s… <a href={target}>Continue now</a>
              </p>
            ) : (
              <p>Enter the code on the platform you came from.</p>
            )}
          </>
        )}
      </section>
    </main>
  );
}
