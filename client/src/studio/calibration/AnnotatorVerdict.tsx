import type { ReactNode } from 'react';
import type { Disagreement } from './calibration.api.ts';
import marks from '../../components/judgeMarks.module.css';
import styles from './calibration.module.css';

/** One annotator's verdict on a transcript: score, who (by pseudonym), how sure, and why; `children` adds actions. */
export function AnnotatorVerdict({
  verdict,
  testId,
  children,
}: {
  verdict: Disagreement['humanReasons'][number];
  testId: string;
  children?: ReactNode;
}) {
  return (
    <li data-testid={testId}>
      <span className={marks.scoreChip} title="alignment 1–5, higher is better">
        {verdict.score}
      </span>{' '}
      <span className="muted">
        {verdict.pseudonym} · confidence {verdict.confidence}/5
      </span>
      <p className={styles.disText}>{verdict.reason}</p>
      {children}
    </li>
  );
}
