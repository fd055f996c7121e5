import { useEffect, useRef, useState } from 'react';
import { KeyHint } from '../KeyHint.tsx';
import { keyLabel, RATER_KEYS } from '../keyMap.ts';
import type { AnnotationTask, JudgeHolds, JudgeReveal, VerdictInput } from './annotateApi.ts';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

const HOLDS: { value: JudgeHolds; label: string; key: string }[] = [
  { value: 'yes', label: 'Yes', key: RATER_KEYS.holdsYes },
  { value: 'partly', label: 'Partly', key: RATER_KEYS.holdsPartly },
  { value: 'no', label: 'No', key: RATER_KEYS.holdsNo },
];
const COMMENT_MAX = 2000;

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
  const latest = useRef({ send, paused });
  latest.current = { send, paused };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (latest.current.paused) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (!e.repeat) latest.current.send();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (target?.closest('textarea, input, select')) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      const key = e.key.toLowerCase();
      const choice = HOLDS.find((h) => h.key === key);
      if (choice) {
        e.preventDefault();
        setHolds(choice.value);
        setMissing(false);
      } else if (key === RATER_KEYS.comment) {
        e.preventDefault();
        commentRef.current?.focus();
      } else if (key === 'enter' && !target?.closest('button, a, summary')) {
        e.preventDefault();
        if (!e.repeat) latest.current.send();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const criteria = (kind: 'pass' | 'fail') => {
    const items = kind === 'pass' ? task.scenario.passCriteria : task.scenario.failCriteria;
    const judge = kind === 'pass' ? reveal.passMet : reveal.failMet;
    const yours = kind === 'pass' ? verdict.passMet : verdict.failMet;
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
  };

  return (
    <aside
      className={`${rateStyles.ratePanel} ${styles.anPanel} an-reveal`}
      aria-label="The judge's verdict"
      data-testid="an-reveal"
    >
      <p className={styles.anSaved}>Your verdict is saved.</p>
      <div className={styles.anScores}>
        <div>
          <span className={styles.anScoreLabel}>You</span>
          <span className={styles.anScoreValue} data-testid="an-your-score">
            {verdict.score}
          </span>
        </div>
        <div>
          <span className={styles.anScoreLabel}>The judge</span>
          <span className={`${styles.anScoreValue} ${styles.judge}`} data-testid="an-judge-score">
            {reveal.score ?? '–'}
          </span>
        </div>
        <span className={`muted ${styles.anScale}`}>alignment 1–5, higher is better</span>
      </div>
      {scored ? (
        <>
          <div>
            <span className={rateStyles.rateLabel}>The judge's rationale</span>
            <p className={styles.anRationale} data-testid="an-judge-rationale">
              {reveal.rationale}
            </p>
          </div>
          {criteria('pass')}
          {criteria('fail')}
          <fieldset className={styles.anHolds} disabled={busy}>
            <legend className={rateStyles.rateLabel}>Does the judge's rationale hold?</legend>
            <div role="radiogroup" aria-label="Does the judge's rationale hold?" className={styles.anHoldsOptions}>
              {HOLDS.map((h) => (
                <button
                  key={h.value}
                  type="button"
                  role="radio"
                  aria-checked={holds === h.value}
                  data-testid={`holds-${h.value}`}
                  className={holds === h.value ? `${styles.anConf} ${styles.chosen}` : styles.anConf}
                  onClick={() => {
                    setHolds(h.value);
                    setMissing(false);
                  }}
                >
                  {h.label}{' '}
                  <KeyHint>
                    <kbd>{keyLabel(h.key)}</kbd>
                  </KeyHint>
                </button>
              ))}
            </div>
          </fieldset>
          <label className={rateStyles.rateComment}>
            <span className={rateStyles.rateLabel}>
              Comment <span className="muted">(optional)</span>{' '}
              <KeyHint>
                <kbd>C</kbd>
              </KeyHint>
            </span>
            <textarea
              ref={commentRef}
              rows={3}
              maxLength={COMMENT_MAX}
              value={comment}
              data-testid="holds-comment"
              disabled={busy}
              placeholder="What does the judge get right or wrong?"
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
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
