import type { ReactNode, Ref } from 'react';
import { KeyHint } from './KeyHint.tsx';
import styles from './rate.module.css';

/**
 * A rater's free-text box (the rating's comment, the verdict's reason, the comment on the judge):
 * C goes to it, Esc leaves it, Ctrl+Enter sends from it. Its length counter turns when the
 * server's limit is reached, so a long text is cut by the box, never refused after the work.
 */
export function RaterTextBox({
  label,
  optional = false,
  value,
  max,
  rows,
  placeholder,
  disabled = false,
  testId,
  ref,
  onChange,
}: {
  label: ReactNode;
  /** Optional boxes say so; the others are required. */
  optional?: boolean;
  value: string;
  /** The server's limit (from schema/api). */
  max: number;
  rows: number;
  placeholder: string;
  disabled?: boolean;
  testId: string;
  /** The C key focuses the box. */
  ref: Ref<HTMLTextAreaElement>;
  onChange(value: string): void;
}) {
  return (
    <label className={styles.rateComment}>
      <span className={styles.rateLabel}>
        {label}
        {optional && <span className="muted"> (optional)</span>}{' '}
        <KeyHint>
          <kbd>C</kbd>
        </KeyHint>
      </span>
      <textarea
        ref={ref}
        data-testid={testId}
        rows={rows}
        maxLength={max}
        required={!optional}
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
      <span className={styles.rateCounter}>
        Ctrl+Enter sends · Esc leaves the box ·{' '}
        <span className={value.length >= max ? styles.full : undefined} data-testid={`${testId}-counter`}>
          {value.length} / {max}
        </span>
      </span>
    </label>
  );
}
