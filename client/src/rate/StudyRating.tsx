import { DoneView } from './DoneView.tsx';
import { InstructionsView } from './InstructionsView.tsx';
import { fetchNextTask, fetchRaterStudy } from './rateApi.ts';
import { raterGate, RaterMessage } from './RaterMessage.tsx';
import { TaskView } from './TaskView.tsx';
import { useRaterSession } from './useRaterSession.ts';

/** /rate/:studyId: the study's instructions once, then one task at a time, then the end. */
export function StudyRating({ studyId }: { studyId: string }) {
  const { me, study, next, instructions, setInstructions, closeInstructions, notice, onNext } = useRaterSession({
    kind: 'rate',
    studyId,
    title: 'Rating',
    fetchStudy: () => fetchRaterStudy(studyId),
    fetchNext: () => fetchNextTask(studyId),
  });
  const gate = raterGate({
    studyId,
    signedOut: me.isSuccess && me.data === null,
    failure: me.error ?? study.error ?? next.error,
    loaded: !!study.data,
    onRetry: () => void (study.error ? study.refetch() : next.refetch()),
  });
  if (gate || !study.data) return gate;
  if (instructions === 'first' || (instructions && next.data?.kind !== 'task')) return <InstructionsView study={study.data} again={instructions === 'again'} onStart={closeInstructions} />;
  if (!next.data) return <RaterMessage title="Loading your first task…" busy />;
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
