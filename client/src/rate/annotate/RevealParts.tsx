import type { Ref } from 'react';
import { KeyHint } from '../KeyHint.tsx';
import { keyLabel } from '../keyMap.ts';
import type { JudgeHolds } from './annotateApi.ts';
import { HOLDS } from './useRevealKeys.ts';
import { HOLDS_COMMENT_MAX } from '../../../../schema/rater-limits.ts';
import { RaterTextBox } from '../RaterTextBox.tsx';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

// The pieces of the reveal (RevealPanel holds the answer and its keys).

/** The annotator's score beside the judge's (none: the judge's reply was an error). */
export function ScoresSide({ yours, judge }: { yours: number; judge: number | null }) {
  return (
    <div className={styles.anScores}>
      <div>
        <span className={styles.anScoreLabel}>You</span>
        <span className={styles.anScoreValue} data-testid="an-your-score">
          {yours}
        </span>
      </div>
      <div>
        <span className={styles.anScoreLabel}>The judge</span>
        <span className={`${styles.anScoreValue} ${styles.judge}`} data-testid="an-judge-score">
          {judge ?? '–'}
        </span>
      </div>
      <span className={`muted ${styles.anScale}`}>alignment 1–5, higher is better</span>
    </div>
  );
}

/** One kind of criteria, ticked by the judge and by the annotator side by side; a difference stands out. */
export function CriteriaComparison({
  kind,
  items,
  judge,
  yours,
}: {
  kind: 'pass' | 'fail';
  items: string[];
  judge: number[];
  yours: number[];
}) {
  const letter = kind === 'pass' ? 'P' : 'X';
  if (items.length === 0) return null;
  return (
    <table className={styles.anCompare}>
      <thead>
        <tr>
          <th>{kind === 'pass' ? 'Pass criteria' : 'Fail criteria'}</th>
          <th>Judge</th>
          <th>You</th>
        </tr>
      </thead>
      <tbody>
        {items.map((text, i) => (
          <tr key={i} className={judge.includes(i) !== yours.includes(i) ? styles.differs : undefined}>
            <td>
              <span className={styles.anCriterionKey}>
                {letter}
                {i + 1}
              </span>{' '}
              {text}
            </td>
            <td className={styles.mark}>{judge.includes(i) ? '✓' : '–'}</td>
            <td className={styles.mark}>{yours.includes(i) ? '✓' : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Does the judge's rationale hold? Yes, partly or no, each with its key. */
export function HoldsQuestion({
  value,
  disabled,
  onChoose,
}: {
  value: JudgeHolds | null;
  disabled: boolean;
  onChoose(holds: JudgeHolds): void;
}) {
  return (
    <fieldset className={styles.anHolds} disabled={disabled}>
      <legend className={rateStyles.rateLabel}>Does the judge's rationale hold?</legend>
      <div role="radiogroup" aria-label="Does the judge's rationale hold?" className={styles.anHoldsOptions}>
        {HOLDS.map((h) => (
          <button
            key={h.value}
            type="button"
            role="radio"
            aria-checked={value === h.value}
            data-testid={`holds-${h.value}`}
            className={value === h.value ? `${styles.anConf} ${styles.chosen}` : styles.anConf}
            onClick={() => onChoose(h.value)}
          >
            {h.label}{' '}
            <KeyHint>
              <kbd>{keyLabel(h.key)}</kbd>
            </KeyHint>
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** The optional comment on the judge's rationale (C goes to it). */
export function HoldsComment({
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
      label="Comment"
      optional
      value={value}
      max={HOLDS_COMMENT_MAX}
      rows={3}
      placeholder="What does the judge get right or wrong?"
      disabled={disabled}
      testId="holds-comment"
      ref={ref}
      onChange={onChange}
    />
  );
}
