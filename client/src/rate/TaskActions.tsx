import { KeyHint } from './KeyHint.tsx';
import styles from './rate.module.css';

/**
 * Under the rating: Submit (Save change when changing an earlier rating), Skip (Back to your task),
 * Previous (Earlier), each with its key, and the line that lists the keys.
 */
export function TaskActions({
  busy,
  revising,
  skipsLeft,
  onSubmit,
  onSkip,
  onClose,
  onPrevious,
}: {
  busy: 'submit' | 'skip' | null;
  /** An earlier rating is open instead of the task. */
  revising: boolean;
  /** Skips the study still allows (null: no limit; absent: no task in hand). */
  skipsLeft?: number | null;
  onSubmit(): void;
  onSkip(): void;
  /** Back to the task in hand (when revising). */
  onClose(): void;
  /** To the previous (or an earlier) rating; absent when there is none. */
  onPrevious?: () => void;
}) {
  return (
    <>
      <div className={styles.rateActions}>
        <button
          type="button"
          className={`btn btn-primary ${styles.rateSubmit}`}
          data-testid="rate-submit"
          disabled={busy !== null}
          onClick={onSubmit}
        >
          {busy === 'submit' ? 'Saving…' : revising ? 'Save change' : 'Submit'}{' '}
          <KeyHint>
            <kbd>Enter</kbd>
          </KeyHint>
        </button>
        {revising ? (
          <button type="button" className="btn" data-testid="revision-close" onClick={onClose}>
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
            disabled={busy !== null || skipsLeft === 0}
            onClick={onSkip}
          >
            {busy === 'skip' ? 'Skipping…' : 'Skip'}
            {skipsLeft !== undefined && skipsLeft !== null && (
              <span data-testid="rate-skips-left"> ({skipsLeft} left)</span>
            )}{' '}
            <KeyHint>
              <kbd>S</kbd>
            </KeyHint>
          </button>
        )}
        {onPrevious && (
          <button
            type="button"
            className={`btn ${styles.btnQuiet}`}
            data-testid="rate-previous"
            disabled={busy !== null}
            onClick={onPrevious}
          >
            {revising ? 'Earlier' : 'Previous'}{' '}
            <KeyHint>
              <kbd>←</kbd>
            </KeyHint>
          </button>
        )}
      </div>
      <p className={styles.rateKeys}>
        <kbd>1</kbd>–<kbd>5</kbd> rate · <kbd>F</kbd> flag · <kbd>C</kbd> comment · <kbd>Enter</kbd>{' '}
        {revising ? 'save' : 'submit'} · {revising ? <kbd>Esc</kbd> : <kbd>S</kbd>} {revising ? 'back' : 'skip'} ·{' '}
        <kbd>←</kbd> {revising ? 'earlier' : 'previous'}
      </p>
    </>
  );
}
