import { useRef, useState } from 'react';
import type { RaterStudy } from '../../../schema/api/studies.ts';
import { FLAG_CHOICES, flagLabel, toggleFlag } from './flags.ts';
import { KeyHint } from './KeyHint.tsx';
import { keyLabel } from './keyMap.ts';
import { RateRequestError, skipTask, submitRating, type RaterTask, type RealismFlag } from './rateApi.ts';
import { ScenarioView } from './ScenarioView.tsx';
import { useTaskKeys } from './useTaskKeys.ts';

export const COMMENT_MAX = 2000;

export interface Notice {
  tone: 'info' | 'warning';
  text: string;
}

interface TaskViewProps {
  studyId: string;
  study: RaterStudy;
  task: RaterTask;
  /** Hidden under another view (the instructions): keeps what was entered, ignores keys. */
  paused?: boolean;
  /** The task is finished (rated, skipped, or gone): show the next one, with a word about why. */
  onNext(notice: Notice): void;
}

/** One task: the scenario, then the realism rating, the flags and the comment. */
export function TaskView({ studyId, study, task, paused = false, onNext }: TaskViewProps) {
  const [realism, setRealism] = useState<number | null>(null);
  const [flags, setFlags] = useState<RealismFlag[]>([]);
  const [comment, setComment] = useState('');
  const [pickerOpen, setPickerOpen] = useState(false);
  const [busy, setBusy] = useState<'submit' | 'skip' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const turnCount = task.scenario.turns.length;

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
    try {
      await submitRating(studyId, { leaseId: task.leaseId, realism, flags, comment });
      onNext({ tone: 'info', text: `Saved your rating of ${realism}.` });
    } catch (e) {
      failed(e, 'rating');
    }
  };

  const noSkipsLeft = task.skipsLeft === 0;
  const skip = async () => {
    if (busy) return;
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
    skip: () => void skip(),
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
    <div className="rate-task" data-testid="rate-task" data-lease={task.leaseId} hidden={paused}>
      <ScenarioView
        scenario={task.scenario}
        flags={flags}
        onToggleTurnFlag={(turn) => toggle({ kind: 'user-turn', turn })}
      />

      <aside className="rate-panel" aria-label="Your rating">
        <fieldset className="rate-scale" disabled={busy !== null}>
          <legend>How realistic is this scenario?</legend>
          <div role="radiogroup" aria-label="Realism, 1 to 5" className="rate-options">
            {([5, 4, 3, 2, 1] as const).map((value) => (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={realism === value}
                data-rating-option
                data-testid={`rating-${value}`}
                className={realism === value ? 'rate-option chosen' : 'rate-option'}
                onClick={() => {
                  setRealism(value);
                  setProblem(null);
                }}
              >
                <span className="rate-value">{value}</span>
                <span className="rate-anchor">{study.anchors[value]}</span>
              </button>
            ))}
          </div>
        </fieldset>

        <div className="rate-flags">
          <div className="rate-flags-head">
            <span className="rate-label">What breaks realism?</span>
            <button
              type="button"
              className="btn btn-sm"
              aria-expanded={pickerOpen}
              data-testid="flag-button"
              onClick={() => setPickerOpen((o) => !o)}
            >
              Flag{' '}
              <KeyHint>
                <kbd>F</kbd>
              </KeyHint>
            </button>
          </div>
          {pickerOpen && (
            <div className="flag-picker" role="group" aria-label="Flags" data-testid="flag-picker">
              {turnCount > 0 && (
                <div className="flag-row">
                  <span className="flag-row-label">A user turn:</span>
                  {task.scenario.turns.map((_, i) => {
                    const on = flags.some((f) => f.kind === 'user-turn' && f.turn === i);
                    return (
                      <button
                        key={i}
                        type="button"
                        className={on ? 'flag-chip on' : 'flag-chip'}
                        aria-pressed={on}
                        onClick={() => toggle({ kind: 'user-turn', turn: i })}
                      >
                        {i < 9 ? (
                          <KeyHint>
                            <kbd>{i + 1}</kbd>{' '}
                          </KeyHint>
                        ) : null}
                        Turn {i + 1}
                      </button>
                    );
                  })}
                </div>
              )}
              <div className="flag-row">
                {FLAG_CHOICES.map((c) => {
                  const on = flags.some((f) => f.kind === c.kind);
                  return (
                    <button
                      key={c.kind}
                      type="button"
                      className={on ? 'flag-chip on' : 'flag-chip'}
                      aria-pressed={on}
                      onClick={() => toggle({ kind: c.kind })}
                    >
                      <KeyHint>
                        <kbd>{keyLabel(c.key)}</kbd>{' '}
                      </KeyHint>
                      {c.label}
                    </button>
                  );
                })}
              </div>
              <button type="button" className="btn btn-sm" onClick={() => setPickerOpen(false)}>
                Done{' '}
                <KeyHint>
                  <kbd>Esc</kbd>
                </KeyHint>
              </button>
            </div>
          )}
          {flags.length > 0 && (
            <ul className="flag-list" data-testid="chosen-flags" aria-label="Your flags">
              {flags.map((f) => (
                <li key={`${f.kind}-${f.turn ?? ''}`} className="flag-chip on">
                  {flagLabel(f)}
                  <button
                    type="button"
                    className="flag-remove"
                    aria-label={`Remove flag: ${flagLabel(f)}`}
                    onClick={() => toggle(f)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>

        <label className="rate-comment">
          <span className="rate-label">
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
            className={comment.length >= COMMENT_MAX ? 'rate-counter full' : 'rate-counter'}
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

        <div className="rate-actions">
          <button
            type="button"
            className="btn btn-primary rate-submit"
            data-testid="rate-submit"
            disabled={busy !== null}
            onClick={() => void submit()}
          >
            {busy === 'submit' ? 'Saving…' : 'Submit'}{' '}
            <KeyHint>
              <kbd>Enter</kbd>
            </KeyHint>
          </button>
          <button
            type="button"
            className="btn"
            data-testid="rate-skip"
            disabled={busy !== null || noSkipsLeft}
            onClick={() => void skip()}
          >
            {busy === 'skip' ? 'Skipping…' : 'Skip'}
            {task.skipsLeft !== null && <span data-testid="rate-skips-left"> ({task.skipsLeft} left)</span>}{' '}
            <KeyHint>
              <kbd>S</kbd>
            </KeyHint>
          </button>
        </div>
        <p className="rate-keys">
          <kbd>1</kbd>–<kbd>5</kbd> rate · <kbd>F</kbd> flag · <kbd>C</kbd> comment · <kbd>Enter</kbd> submit ·{' '}
          <kbd>S</kbd> skip
        </p>
      </aside>
    </div>
  );
}
