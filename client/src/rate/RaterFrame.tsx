import type { ReactNode } from 'react';
import type { Notice } from './notice.ts';
import styles from './rate.module.css';

/**
 * The frame of a rater page while tasks run: the study's name, progress (done of total), a button
 * back to the instructions, the notice after the last answer, then the task itself.
 */
export function RaterFrame({
  studyName,
  done,
  total,
  verb,
  notice,
  testIdPrefix,
  onInstructions,
  children,
}: {
  studyName: string;
  done: number;
  total: number;
  /** How progress reads for a screen reader: "rated", "judged". */
  verb: string;
  notice: Notice | null;
  testIdPrefix: string;
  onInstructions(): void;
  children: ReactNode;
}) {
  return (
    <div className={styles.rateShell}>
      <header className={styles.rateTop}>
        <span className={styles.rateStudy} title={studyName}>
          {studyName}
        </span>
        <span
          className={styles.rateProgress}
          data-testid={`${testIdPrefix}-progress`}
          aria-label={`${done} of ${total} ${verb}`}
        >
          <span className={styles.rateProgressBar} aria-hidden>
            <span style={{ width: `${Math.min(100, (100 * done) / Math.max(1, total))}%` }} />
          </span>
          {done} / {total}
        </span>
        <button type="button" className="btn btn-sm" onClick={onInstructions}>
          Instructions
        </button>
      </header>
      <div className={styles.rateNoticeSlot} aria-live="polite">
        {notice && (
          <p
            className={`${styles.rateNotice} ${notice.tone === 'warning' ? styles.rateNoticeWarning : styles.rateNoticeInfo}`}
            data-testid={`${testIdPrefix}-notice`}
          >
            {notice.text}
          </p>
        )}
      </div>
      {children}
    </div>
  );
}
