import type { ReactNode } from 'react';
import type { Disagreement } from './calibration.api.ts';

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
      <span className="score-chip" title="alignment 1–5, higher is better">
        {verdict.score}
      </span>{' '}
      <span className="muted">
        {verdict.pseudonym} · confidence {verdict.confidence}/5
      </span>
      <p className="dis-text">{verdict.reason}</p>
      {children}
    </li>
  );
}
