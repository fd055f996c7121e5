import { DoneView } from './DoneView.tsx';
import { ChangedSinceRating, useEarlierRating } from './EarlierRating.tsx';
import { InstructionsView } from './InstructionsView.tsx';
import { fetchNextTask, fetchRaterStudy } from './rateApi.ts';
import { RaterFrame } from './RaterFrame.tsx';
import { raterGate, RaterMessage } from './RaterMessage.tsx';
import { TaskView } from './TaskView.tsx';
import { useRaterSession } from './useRaterSession.ts';

/** /rate/:studyId: the study's instructions once, then one task at a time, then the end. */
export function StudyRating({ studyId }: { studyId: string }) {
  const { me, study, next, instructions, setInstructions, closeInstructions, notice, setNotice, onNext } =
    useRaterSession({
      kind: 'rate',
      studyId,
      title: 'Rating',
      fetchStudy: () => fetchRaterStudy(studyId),
      fetchNext: () => fetchNextTask(studyId),
    });
  const earlier = useEarlierRating(studyId, setNotice);
  const gate = raterGate({
    studyId,
    signedOut: me.isSuccess && me.data === null,
    failure: me.error ?? study.error ?? next.error,
    loaded: !!study.data,
    onRetry: () => void (study.error ? study.refetch() : next.refetch()),
  });
  if (gate || !study.data) return gate;
  if (instructions === 'first' || (instructions && next.data?.kind !== 'task'))
    return <InstructionsView study={study.data} again={instructions === 'again'} onStart={closeInstructions} />;
  if (!next.data) return <RaterMessage title="Loading your first task…" busy />;
  const revision = earlier.rating?.scenario
    ? {
        rating: { ...earlier.rating, scenario: earlier.rating.scenario },
        onEarlier: earlier.openEarlier,
        onClose: earlier.close,
      }
    : undefined;
  if (next.data.kind === 'done' && !earlier.rating)
    return <DoneView done={next.data} crowd={study.data.crowd} onPrevious={earlier.openLatest} />;

  const { progress } = next.data;
  const task = next.data.kind === 'task' ? next.data : null;
  return (
    <RaterFrame
      studyName={study.data.name}
      done={progress.done}
      total={progress.batchSize}
      verb="rated"
      notice={notice}
      testIdPrefix="rate"
      onInstructions={() => setInstructions('again')}
    >
      {instructions === 'again' && <InstructionsView study={study.data} again onStart={closeInstructions} />}
      {earlier.rating && !earlier.rating.scenario ? (
        <ChangedSinceRating
          rating={earlier.rating}
          onEarlier={earlier.openEarlier}
          onClose={() => earlier.close(null)}
        />
      ) : (
        <TaskView
          key={revision ? `revise-${revision.rating.ratingId}` : task?.leaseId}
          studyId={studyId}
          study={study.data}
          task={task}
          paused={instructions === 'again'}
          onNext={(n) => void onNext(n)}
          onPrevious={progress.done > 0 ? earlier.openLatest : undefined}
          revision={revision}
        />
      )}
    </RaterFrame>
  );
}
