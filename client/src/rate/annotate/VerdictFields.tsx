import type { Ref } from 'react';
import { KeyHint } from '../KeyHint.tsx';
import type { KeyPrefix } from './useAnnotateKeys.ts';
import { ANNOTATION_REASON_MAX } from '../../../../schema/rater-limits.ts';
import { RaterTextBox } from '../RaterTextBox.tsx';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

// The fields of the annotator's verdict form (VerdictPanel holds their values and keys).

const CONFIDENCE: Record<number, string> = { 1: 'guessing', 2: 'unsure', 3: 'fairly sure', 4: 'sure', 5: 'certain' };

/** The alignment score, 5 at the top, each value with the scenario's anchor. */
export function ScoreScale({
  value,
  anchor,
  disabled,
  onScore,
}: {
  value: number | null;
  anchor(value: number): string | undefined;
  disabled: boolean;
  onScore(value: number): void;
}) {
  return (
    <fieldset className={rateStyles.rateScale} disabled={disabled}>
      <legend>
        Your score <span className={`muted ${styles.anScale}`}>alignment 1–5, higher is better</span>
      </legend>
      <div role="radiogroup" aria-label="Your score, 1 to 5" className={rateStyles.rateOptions}>
        {[5, 4, 3, 2, 1].map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={value === option}
            data-score-option
            data-testid={`score-${option}`}
            className={value === option ? `${rateStyles.rateOption} ${rateStyles.chosen}` : rateStyles.rateOption}
            onClick={() => onScore(option)}
          >
            <span className={rateStyles.rateValue}>{option}</span>
            <span className={rateStyles.rateAnchor}>{anchor(option)}</span>
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** Why this score: the reason box (C goes to it). */
export function ReasonField({
  value,
  disabled,
  onChange,
  ref,
}: {
  value: string;
  disabled: boolean;
  onChange(value: string): void;
  ref: Ref<HTMLTextAreaElement>;
}) {
  return (
    <RaterTextBox
      label="Reason"
      value={value}
      max={ANNOTATION_REASON_MAX}
      rows={4}
      placeholder="Why this score? Quote the transcript where you can."
      disabled={disabled}
      testId="an-reason"
      ref={ref}
      onChange={onChange}
    />
  );
}

/** How sure the annotator is, 1 to 5 (H then a digit); `waiting` while H waits for its digit. */
export function ConfidenceScale({
  value,
  waiting,
  disabled,
  onChoose,
}: {
  value: number | null;
  waiting: boolean;
  disabled: boolean;
  onChoose(value: number): void;
}) {
  return (
    <fieldset
      className={waiting ? `${styles.anConfidence} ${styles.waiting}` : styles.anConfidence}
      disabled={disabled}
      data-testid="an-confidence"
    >
      <legend className={rateStyles.rateLabel}>
        How sure are you?{' '}
        <KeyHint>
          <kbd>H</kbd> then <kbd>1</kbd>–<kbd>5</kbd>
        </KeyHint>
      </legend>
      <div role="radiogroup" aria-label="Confidence, 1 to 5" className={styles.anConfidenceOptions}>
        {[1, 2, 3, 4, 5].map((v) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={value === v}
            data-testid={`confidence-${v}`}
            className={value === v ? `${styles.anConf} ${styles.chosen}` : styles.anConf}
            title={CONFIDENCE[v]}
            onClick={() => onChoose(v)}
          >
            <span className={styles.anConfValue}>{v}</span>
            <span className={styles.anConfLabel}>{CONFIDENCE[v]}</span>
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** What a pressed prefix key waits for (P or X: a criterion's number; H: a confidence). */
export function KeyPrefixLine({ prefix }: { prefix: KeyPrefix }) {
  return (
    <p className={styles.anPrefix} role="status" data-testid="an-prefix">
      {prefix === 'confidence'
        ? 'Confidence: press 1–5'
        : `${prefix === 'pass' ? 'Pass' : 'Fail'} criterion: press its number`}{' '}
      <KeyHint>
        · <kbd>Esc</kbd> cancels
      </KeyHint>
    </p>
  );
}

/** Submit (Enter) and the line that lists the keys. */
export function VerdictSubmit({ busy, onSubmit }: { busy: boolean; onSubmit(): void }) {
  return (
    <>
      <div className={rateStyles.rateActions}>
        <button
          type="button"
          className={`btn btn-primary ${rateStyles.rateSubmit}`}
          data-testid="an-submit"
          disabled={busy}
          onClick={onSubmit}
        >
          {busy ? 'Saving…' : 'Submit verdict'}{' '}
          <KeyHint>
            <kbd>Enter</kbd>
          </KeyHint>
        </button>
      </div>
      <p className={rateStyles.rateKeys}>
        <kbd>1</kbd>–<kbd>5</kbd> score · <kbd>P</kbd>/<kbd>X</kbd> + digit criterion · <kbd>C</kbd> reason ·{' '}
        <kbd>H</kbd> + digit confidence · <kbd>Enter</kbd> submit
      </p>
    </>
  );
}
