import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useMe } from '../auth/useMe.ts';
import { DoneView } from './DoneView.tsx';
import { InstructionsView } from './InstructionsView.tsx';
import { fetchNextTask, fetchRaterStudy, RateRequestError } from './rateApi.ts';
import { TaskView, type Notice } from './TaskView.tsx';

const seenKey = (studyId: string) => `crucible.rate.instructions-seen.${studyId}`;
const readSeen = (studyId: string) => {
  try {
    return localStorage.getItem(seenKey(studyId)) === '1';
  } catch {
    return false;
  }
};

const noRetryOnRefusal = (count: number, e: Error) => !(e instanceof RateRequestError && e.status > 0 && e.status < 500) && count < 2;

/** /rate/:studyId: the study's instructions once, then one task at a time, then the end. */
export function StudyRating({ studyId }: { studyId: string }) {
  const me = useMe();
  const signedIn = !!me.data;
  const study = useQuery({ queryKey: ['rate', studyId, 'study'], queryFn: () => fetchRaterStudy(studyId), enabled: signedIn, staleTime: Infinity, retry: noRetryOnRefusal });
  // Asked for while the instructions are read, so the first task is there at once.
  const next = useQuery({ queryKey: ['rate', studyId, 'next'], queryFn: () => fetchNextTask(studyId), enabled: signedIn && study.isSuccess, staleTime: Infinity, retry: noRetryOnRefusal });
  const [instructions, setInstructions] = useState<'first' | 'again' | null>(() => (readSeen(studyId) ? null : 'first'));
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    document.title = study.data ? `Rating · ${study.data.name}` : 'Rating · Crucible';
  }, [study.data]);

  const closeInstructions = () => {
    try {
      localStorage.setItem(seenKey(studyId), '1');
    } catch {
      // Private browsing without storage: they may see the instructions again next time.
    }
    setInstructions(null);
  };

  const onNext = async (n: Notice) => {
    await next.refetch();
    setNotice(n);
    window.scrollTo({ top: 0 });
  };

  if (me.isSuccess && me.data === null) {
    return (
      <Message title="You are not signed in">
        Open the study link you were given again to continue. Have an account? <a href={`/signin?next=${encodeURIComponent(`/rate/${studyId}`)}`}>Sign in</a>.
      </Message>
    );
  }
  const failure = me.error ?? study.error ?? next.error;
  if (failure) {
    const notYours = failure instanceof RateRequestError && failure.status === 404;
    return (
      <Message title={notYours ? 'This study is not available to you' : 'Something went wrong'}>
        {notYours ? 'Check the link you were given; it may be for another study.' : failure.message}
        {!notYours && (
          <button type="button" className="btn" onClick={() => void (study.error ? study.refetch() : next.refetch())}>
            Try again
          </button>
        )}
      </Message>
    );
  }
  if (!study.data) return <Message title="Loading…" busy />;
  if (instructions === 'first' || (instructions && next.data?.kind !== 'task')) return <InstructionsView study={study.data} again={instructions === 'again'} onStart={closeInstructions} />;
  if (!next.data) return <Message title="Loading your first task…" busy />;
  if (next.data.kind === 'done') return <DoneView done={next.data} />;

  const { progress } = next.data;
  return (
    <div className="rate-shell">
      <header className="rate-top">
        <span className="rate-study" title={study.data.name}>
          {study.data.name}
        </span>
        <span className="rate-progress" data-testid="rate-progress" aria-label={`${progress.done} of ${progress.batchSize} rated`}>
          <span className="rate-progress-bar" aria-hidden>
            <span style={{ width: `${Math.min(100, (100 * progress.done) / Math.max(1, progress.batchSize))}%` }} />
          </span>
          {progress.done} / {progress.batchSize}
        </span>
        <button type="button" className="btn btn-sm" onClick={() => setInstructions('again')}>
          Instructions
        </button>
      </header>
      <div className="rate-notice-slot" aria-live="polite">
        {notice && (
          <p className={`rate-notice rate-notice-${notice.tone}`} data-testid="rate-notice">
            {notice.text}
          </p>
        )}
      </div>
      {instructions === 'again' && <InstructionsView study={study.data} again onStart={closeInstructions} />}
      <TaskView key={next.data.leaseId} studyId={studyId} study={study.data} task={next.data} paused={instructions === 'again'} onNext={(n) => void onNext(n)} />
    </div>
  );
}

function Message({ title, children, busy }: { title: string; children?: ReactNode; busy?: boolean }) {
  return (
    <main className="rate-page">
      <section className="rate-card" aria-busy={busy}>
        <h1>{title}</h1>
        {children && <p>{children}</p>}
      </section>
    </main>
  );
}
