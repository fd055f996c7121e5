import { useRef, useState } from 'react';
import type { RaterStudy } from '../../../schema/api/studies.ts';
import { FLAG_CHOICES, toggleFlag } from './flags.ts';
import type { Notice } from './notice.ts';
import type { RaterTask, RealismFlag } from './rateApi.ts';
import { RatingComment } from './RatingComment.tsx';
import { RatingScale } from './RatingScale.tsx';
import { RealismFlags } from './RealismFlags.tsx';
import type { Revision } from './revision.ts';
import { RevisionBanner } from './RevisionBanner.tsx';
import { ScenarioView } from './ScenarioView.tsx';
import { TaskActions } from './TaskActions.tsx';
import { useTaskAnswer } from './useTaskAnswer.ts';
import { useTaskKeys } from './useTaskKeys.ts';
import styles from './rate.module.css';

interface TaskViewProps {
  studyId: string;
  study: RaterStudy;
  /** The task in hand; null only while looking at an earlier rating after the last task. */
  task: RaterTask | null;
  /** Hidden under another view (the instructions): keeps what was entered, ignores keys. */
  paused?: boolean;
  /** The task is finished (rated, skipped, or gone): show the next one, with a word about why. */
  onNext(notice: Notice): void;
  /** Go back to the rater's latest rating (absent before the first). */
  onPrevious?: () => void;
  /** Instead of the task: one of the rater's earlier ratings, shown as they gave it, to change. */
  revision?: Revision;
}

/** One task: the scenario, then the realism rating, the flags and the comment. */
export function TaskView({ studyId, study, task, paused = false, onNext, onPrevious, revision }: TaskViewProps) {
  const [realism, setRealism] = useState<number | null>(revision?.rating.realism ?? null);
  const [flags, setFlags] = useState<RealismFlag[]>(revision?.rating.flags ?? []);
  const [comment, setComment] = useState(revision?.rating.comment ?? '');
  const [pickerOpen, setPickerOpen] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const answer = useTaskAnswer({ studyId, task, revision, onNext });
  const scenario = revision?.rating.scenario ?? task!.scenario;
  const previous = revision ? revision.onEarlier : onPrevious;

  const rate = (value: number) => {
    setRealism(value);
    answer.clearProblem();
  };
  const submit = () => answer.rate({ realism, flags, comment });
  const toggle = (flag: RealismFlag) => setFlags((f) => toggleFlag(f, flag));

  useTaskKeys({
    paused,
    pickerOpen,
    turnCount: scenario.turns.length,
    rate,
    submit,
    skip: answer.skip,
    previous: () => previous?.(),
    leave: () => revision?.onClose(null),
    openPicker: () => setPickerOpen(true),
    closePicker: () => setPickerOpen(false),
    toggleTurnFlag: (turn) => toggle({ kind: 'user-turn', turn }),
    pickerLetter: (key) => {
      const choice = FLAG_CHOICES.find((c) => c.key === key);
      if (choice) toggle({ kind: choice.kind });
      return choice !== undefined;
    },
    focusComment: () => commentRef.current?.focus(),
  });

  return (
    <div
      className={revision ? `${styles.rateTask} rate-revising` : styles.rateTask}
      data-testid={revision ? 'rate-revision' : 'rate-task'}
      data-lease={revision ? undefined : task?.leaseId}
      data-rating={revision?.rating.ratingId}
      hidden={paused}
    >
      {revision && <RevisionBanner position={revision.rating.position} ratedAt={revision.rating.ratedAt} />}
      <ScenarioView
        scenario={scenario}
        flags={flags}
        onToggleTurnFlag={(turn) => toggle({ kind: 'user-turn', turn })}
      />
      <aside className={styles.ratePanel} aria-label="Your rating">
        <RatingScale anchors={study.anchors} value={realism} disabled={answer.busy !== null} onRate={rate} />
        <RealismFlags
          flags={flags}
          turnCount={scenario.turns.length}
          pickerOpen={pickerOpen}
          onPickerOpen={setPickerOpen}
          onToggle={toggle}
        />
        <RatingComment ref={commentRef} value={comment} onChange={setComment} />
        {answer.problem && (
          <p className="form-error" role="alert" data-testid="rate-problem">
            {answer.problem}
          </p>
        )}
        <TaskActions
          busy={answer.busy}
          revising={!!revision}
          skipsLeft={task?.skipsLeft}
          onSubmit={submit}
          onSkip={answer.skip}
          onClose={() => revision?.onClose(null)}
          onPrevious={previous}
        />
      </aside>
    </div>
  );
}
