import type { Ref } from 'react';
import styles from './rate.module.css';

/** The longest comment a rating takes (the server's limit). */
export const COMMENT_MAX = 2000;

/** The optional comment, with a counter that turns when the limit is reached. */
export function RatingComment({
  value,
  onChange,
  ref,
}: {
  value: string;
  onChange(value: string): void;
  /** The C key focuses the field. */
  ref: Ref<HTMLTextAreaElement>;
}) {
  return (
    <label className={styles.rateComment}>
      <span className={styles.rateLabel}>
        Comment <span className="muted">(optional)</span>
      </span>
      <textarea
        ref={ref}
        data-testid="rate-comment"
        rows={3}
        maxLength={COMMENT_MAX}
        value={value}
        placeholder="What would make it more realistic?"
        onChange={(e) => onChange(e.target.value)}
      />
      <span
        className={value.length >= COMMENT_MAX ? `${styles.rateCounter} ${styles.full}` : styles.rateCounter}
        data-testid="comment-counter"
      >
        {value.length} / {COMMENT_MAX}
      </span>
    </label>
  );
}
