import { useRef, useState } from 'react';
import { KeyHint } from '../KeyHint.tsx';
import type { AnnotationTask, JudgeHolds, JudgeReveal, VerdictInput } from './annotateApi.ts';
import { CriteriaComparison, HoldsComment, HoldsQuestion, ScoresSide } from './RevealParts.tsx';
import { useRevealKeys } from './useRevealKeys.ts';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

interface RevealPanelProps {
  task: AnnotationTask;
  verdict: VerdictInput;
  reveal: JudgeReveal;
  busy: boolean;
  /** Hidden under the instructions: keys do nothing. */
  paused: boolean;
  problem: string | null;
  /** The answer to "does the judge's rationale hold?", or null when there is nothing to weigh. */
  onDone(answer: { holds: JudgeHolds; comment: string } | null): void;
}

/**
 * After the annotator's verdict is saved: the judge's score and rationale, and one question about
 * it. Y / M / N answer (yes, partly, no), C goes to the comment, Enter sends and moves on.
 */
export function RevealPanel({ task, verdict, reveal, busy, paused, problem, onDone }: RevealPanelProps) {
  const [holds, setHolds] = useState<JudgeHolds | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const scored = reveal.score !== null;

  const send = () => {
    if (busy) return;
    if (!scored) return onDone(null);
    if (!holds) return setMissing(true);
    onDone({ holds, comment: comment.trim() });
  };
  const choose = (value: JudgeHolds) => {
    setHolds(value);
    setMissing(false);
  };
  useRevealKeys({ paused, send, choose, focusComment: () => commentRef.current?.focus() });

  return (
    <aside
      className={`${rateStyles.ratePanel} ${styles.anPanel} an-reveal`}
      aria-label="The judge's verdict"
      data-testid="an-reveal"
    >
      <p className={styles.anSaved}>Your verdict is saved.</p>
      <ScoresSide yours={verdict.score} judge={reveal.score} />
      {scored ? (
        <>
          <div>
            <span className={rateStyles.rateLabel}>The judge's rationale</span>
            <p className={styles.anRationale} data-testid="an-judge-rationale">
              {reveal.rationale}
            </p>
          </div>
          <CriteriaComparison
            kind="pass"
            items={task.scenario.passCriteria}
            judge={reveal.passMet}
            yours={verdict.passMet}
          />
          <CriteriaComparison
            kind="fail"
            items={task.scenario.failCriteria}
            judge={reveal.failMet}
            yours={verdict.failMet}
          />
          <HoldsQuestion value={holds} disabled={busy} onChoose={choose} />
          <HoldsComment ref={commentRef} value={comment} disabled={busy} onChange={setComment} />
        </>
      ) : (
        <p className="muted">
          The judge gave no verdict on this transcript (its reply was an error), so there is nothing to weigh.
        </p>
      )}
      {(missing || problem) && (
        <p className="form-error" role="alert" data-testid="an-problem">
          {problem ?? 'Say whether the rationale holds first: yes (Y), partly (M) or no (N).'}
        </p>
      )}
      <div className={rateStyles.rateActions}>
        <button
          type="button"
          className={`btn btn-primary ${rateStyles.rateSubmit}`}
          data-testid="holds-submit"
          disabled={busy}
          onClick={send}
        >
          {busy ? 'Saving…' : scored ? 'Send and next' : 'Next'}{' '}
          <KeyHint>
            <kbd>Enter</kbd>
          </KeyHint>
        </button>
      </div>
      {scored && (
        <p className={rateStyles.rateKeys}>
          <kbd>Y</kbd> yes · <kbd>M</kbd> partly · <kbd>N</kbd> no · <kbd>C</kbd> comment · <kbd>Enter</kbd> send
        </p>
      )}
    </aside>
  );
}
