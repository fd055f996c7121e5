import { useRef, useState } from 'react';
import type { PreviousRatingResponse, RaterStudy } from '../../../schema/api/studies.ts';
import { FLAG_CHOICES, toggleFlag } from './flags.ts';
import { RealismFlags } from './RealismFlags.tsx';
import { KeyHint } from './KeyHint.tsx';
import { RateRequestError, reviseRating, skipTask, submitRating, type RaterTask, type RealismFlag } from './rateApi.ts';
import { ScenarioView } from './ScenarioView.tsx';
import { useTaskKeys } from './useTaskKeys.ts';
import styles from './rate.module.css';

export const COMMENT_MAX = 2000;

export interface Notice {
  tone: 'info' | 'warning';
  text: string;
}

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

export interface Revision {
  rating: PreviousRatingResponse & { scenario: NonNullable<PreviousRatingResponse['scenario']> };
  /** Step further back (absent at the first rating). */
  onEarlier?: () => void;
  /** Back to the task in hand, with a word about what happened (null: nothing changed). */
  onClose(notice: Notice | null): void;
}

/** One task: the scenario, then the realism rating, the flags and the comment. */
export function TaskView({ studyId, study, task, paused = false, onNext, onPrevious, revision }: TaskViewProps) {
  const [realism, setRealism] = useState<number | null>(revision?.rating.realism ?? null);
  const [flags, setFlags] = useState<RealismFlag[]>(revision?.rating.flags ?? []);
  const [comment, setComment] = useState(revision?.rating.comment ?? '');
  const [pickerOpen, setPickerOpen] = useState(false);
  const [busy, setBusy] = useState<'submit' | 'skip' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const scenario = revision?.rating.scenario ?? task!.scenario;
  const turnCount = scenario.turns.length;

  // A task that is gone moves on (the view stays busy until the next task replaces it); any other
  // failure keeps what the rater entered so they can try again.
  const failed = (e: unknown, action: 'rating' | 'skip') => {
    const gone = e instanceof RateRequestError && (e.status === 409 || e.status === 404);
    if (!gone) setBusy(null);
    if (!(e instanceof RateRequestError)) return setProblem(String(e));
    if (e.status === 409 && /edited/.test(e.message)) {
      return onNext({
        tone: 'warning',
        text: 'Your rating was not saved: the author edited this scenario while you were reading it, so you rated an old version. Here is your next task.',
      });
    }
    if (e.status === 409 || e.status === 404) {
      return onNext({
        tone: 'warning',
        text: `Your ${action} was not saved: this task had expired (a task is held for you for 30 minutes). Here is your next task.`,
      });
    }
    if (e.status === 401) return setProblem('You are signed out. Open your study link again to continue.');
    if (e.status === 403 && action === 'skip') return setProblem(e.message);
    setProblem(`Not saved: ${e.message}`);
  };

  const submit = async () => {
    if (busy) return;
    if (realism === null) return setProblem('Choose a rating from 1 to 5 first (press 1-5).');
    if (comment.length > COMMENT_MAX) return setProblem(`The comment is too long: at most ${COMMENT_MAX} characters.`);
    setBusy('submit');
    setProblem(null);
    if (revision || !task) return void saveRevision(realism);
    try {
      await submitRating(studyId, { leaseId: task.leaseId, realism, flags, comment });
      onNext({ tone: 'info', text: `Saved your rating of ${realism}.` });
    } catch (e) {
      failed(e, 'rating');
    }
  };

  // A changed rating replaces the old answer (which the server keeps); a refusal keeps the form.
  const saveRevision = async (value: number) => {
    if (!revision) return;
    const before = revision.rating;
    try {
      await reviseRating(studyId, before.ratingId, { realism: value, flags, comment });
      const same = value === before.realism && comment === before.comment && sameFlags(flags, before.flags);
      revision.onClose(
        same
          ? { tone: 'info', text: `Your rating stays at ${value}.` }
          : { tone: 'info', text: `Changed your earlier rating to ${value}. Back to where you were.` },
      );
    } catch (e) {
      setBusy(null);
      setProblem(e instanceof RateRequestError ? `Not changed: ${e.message}` : String(e));
    }
  };

  const noSkipsLeft = task?.skipsLeft === 0;
  const skip = async () => {
    if (busy || !task) return;
    if (noSkipsLeft) return setProblem('You have used all the skips this study allows: rate this scenario to go on.');
    setBusy('skip');
    setProblem(null);
    try {
      await skipTask(studyId, task.leaseId);
      onNext({ tone: 'info', text: 'Skipped. You will not get that scenario again.' });
    } catch (e) {
      failed(e, 'skip');
    }
  };

  const toggle = (flag: RealismFlag) => setFlags((f) => toggleFlag(f, flag));

  useTaskKeys({
    paused,
    pickerOpen,
    turnCount,
    rate: (v) => {
      setRealism(v);
      setProblem(null);
    },
    submit: () => void submit(),
    skip: () => {
      if (!revision) void skip();
    },
    previous: () => (revision ? revision.onEarlier?.() : onPrevious?.()),
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
      {revision && <RevisionBanner revision={revision} />}
      <ScenarioView
        scenario={scenario}
        flags={flags}
        onToggleTurnFlag={(turn) => toggle({ kind: 'user-turn', turn })}
      />

      <aside className={styles.ratePanel} aria-label="Your rating">
        <fieldset className={styles.rateScale} disabled={busy !== null}>
          <legend>How realistic is this scenario?</legend>
          <div role="radiogroup" aria-label="Realism, 1 to 5" className={styles.rateOptions}>
            {([5, 4, 3, 2, 1] as const).map((value) => (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={realism === value}
                data-rating-option
                data-testid={`rating-${value}`}
                className={realism === value ? `${styles.rateOption} ${styles.chosen}` : styles.rateOption}
                onClick={() => {
                  setRealism(value);
                  setProblem(null);
                }}
              >
                <span className={styles.rateValue}>{value}</span>
                <span className={styles.rateAnchor}>{study.anchors[value]}</span>
              </button>
            ))}
          </div>
        </fieldset>

        <RealismFlags
          flags={flags}
          turnCount={turnCount}
          pickerOpen={pickerOpen}
          onPickerOpen={setPickerOpen}
          onToggle={toggle}
        />

        <label className={styles.rateComment}>
          <span className={styles.rateLabel}>
            Comment <span className="muted">(optional)</span>
          </span>
          <textarea
            ref={commentRef}
            data-testid="rate-comment"
            rows={3}
            maxLength={COMMENT_MAX}
            value={comment}
            placeholder="What would make it more realistic?"
            onChange={(e) => setComment(e.target.value)}
          />
          <span
            className={comment.length >= COMMENT_MAX ? `${styles.rateCounter} ${styles.full}` : styles.rateCounter}
            data-testid="comment-counter"
          >
            {comment.length} / {COMMENT_MAX}
          </span>
        </label>

        {problem && (
          <p className="form-error" role="alert" data-testid="rate-problem">
            {problem}
          </p>
        )}

        <div className={styles.rateActions}>
          <button
            type="button"
            className={`btn btn-primary ${styles.rateSubmit}`}
            data-testid="rate-submit"
            disabled={busy !== null}
            onClick={() => void submit()}
          >
            {busy === 'submit' ? 'Saving…' : revision ? 'Save change' : 'Submit'}{' '}
            <KeyHint>
              <kbd>Enter</kbd>
            </KeyHint>
          </button>
          {revision ? (
            <button type="button" className="btn" data-testid="revision-close" onClick={() => revision.onClose(null)}>
              Back to your task{' '}
              <KeyHint>
                <kbd>Esc</kbd>
              </KeyHint>
            </button>
          ) : (
            <button
              type="button"
              className="btn"
              data-testid="rate-skip"
              disabled={busy !== null || noSkipsLeft}
              onClick={() => void skip()}
            >
              {busy === 'skip' ? 'Skipping…' : 'Skip'}
              {task && task.skipsLeft !== null && (
                <span data-testid="rate-skips-left"> ({task.skipsLeft} left)</span>
              )}{' '}
              <KeyHint>
                <kbd>S</kbd>
              </KeyHint>
            </button>
          )}
          {(revision ? revision.onEarlier : onPrevious) && (
            <button
              type="button"
              className={`btn ${styles.btnQuiet}`}
              data-testid="rate-previous"
              disabled={busy !== null}
              onClick={() => (revision ? revision.onEarlier?.() : onPrevious?.())}
            >
              {revision ? 'Earlier' : 'Previous'}{' '}
              <KeyHint>
                <kbd>←</kbd>
              </KeyHint>
            </button>
          )}
        </div>
        <p className={styles.rateKeys}>
          <kbd>1</kbd>–<kbd>5</kbd> rate · <kbd>F</kbd> flag · <kbd>C</kbd> comment · <kbd>Enter</kbd>{' '}
          {revision ? 'save' : 'submit'} · {revision ? <kbd>Esc</kbd> : <kbd>S</kbd>} {revision ? 'back' : 'skip'} ·{' '}
          <kbd>←</kbd> {revision ? 'earlier' : 'previous'}
        </p>
      </aside>
    </div>
  );
}

const flagKey = (f: RealismFlag) => `${f.kind}:${f.turn ?? ''}`;
const sameFlags = (a: RealismFlag[], b: RealismFlag[]) =>
  a.length === b.length && a.map(flagKey).sort().join() === b.map(flagKey).sort().join();

/** Says which earlier rating is open, and that the task in hand is kept. */
function RevisionBanner({ revision }: { revision: Revision }) {
  const { position, ratedAt } = revision.rating;
  const time = new Date(ratedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <p className={styles.rateRevisionBanner} data-testid="revision-banner">
      Your rating #{position}, given at {time}. Change it and save, or go back: your current task is kept for you.
    </p>
  );
}
