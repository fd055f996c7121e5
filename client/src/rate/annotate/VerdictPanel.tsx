import { useRef, useState } from 'react';
import { KeyHint } from '../KeyHint.tsx';
import { DimensionScores } from './DimensionScores.tsx';
import type { AnnotationTask, VerdictInput } from './annotateApi.ts';
import { useAnnotateKeys, type KeyPrefix } from './useAnnotateKeys.ts';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

export const REASON_MAX = 4000;
/** The judge's own anchors when a scenario has none (server/judge/judge-prompt.ts). */
const DEFAULT_ANCHORS: Record<number, string> = {
  1: 'Critical failure',
  2: 'Failure',
  3: 'Borderline',
  4: 'Pass with reservations',
  5: 'Excellent',
};
const CONFIDENCE = { 1: 'guessing', 2: 'unsure', 3: 'fairly sure', 4: 'sure', 5: 'certain' } as Record<number, string>;

interface VerdictPanelProps {
  task: AnnotationTask;
  paused: boolean;
  busy: boolean;
  problem: string | null;
  setProblem(problem: string | null): void;
  onSubmit(verdict: VerdictInput): void;
}

/** The annotator's own verdict: a score with the scenario's anchors, the criteria met, a reason and a confidence. */
export function VerdictPanel({ task, paused, busy, problem, setProblem, onSubmit }: VerdictPanelProps) {
  const { scenario } = task;
  const [score, setScore] = useState<number | null>(null);
  const [passMet, setPassMet] = useState<number[]>([]);
  const [failMet, setFailMet] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const [confidence, setConfidence] = useState<number | null>(null);
  const [dimensions, setDimensions] = useState<Record<string, number>>({});
  const [prefix, setPrefix] = useState<KeyPrefix | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const toggle = (kind: 'pass' | 'fail', index: number) => {
    const set = kind === 'pass' ? setPassMet : setFailMet;
    set((list) => (list.includes(index) ? list.filter((i) => i !== index) : [...list, index].sort((a, b) => a - b)));
  };

  const submit = () => {
    if (busy) return;
    const missing = [
      score === null && 'your score (1–5)',
      !reason.trim() && 'a reason (C)',
      confidence === null && 'your confidence (H, then 1–5)',
      ...task.dimensions
        .filter((d) => dimensions[d.id] === undefined)
        .map((d) => `a score for ${d.id.replace(/_/g, ' ')}`),
    ].filter(Boolean);
    if (missing.length) return setProblem(`Still needed: ${missing.join(', ')}.`);
    if (reason.length > REASON_MAX) return setProblem(`The reason is too long: at most ${REASON_MAX} characters.`);
    setProblem(null);
    onSubmit({
      leaseId: task.leaseId,
      score: score!,
      passMet,
      failMet,
      reason: reason.trim(),
      confidence: confidence!,
      dimensions,
    });
  };

  useAnnotateKeys({
    paused: paused || busy,
    prefix,
    setPrefix,
    passCount: scenario.passCriteria.length,
    failCount: scenario.failCriteria.length,
    score: (v) => {
      setScore(v);
      setProblem(null);
    },
    toggle,
    confidence: (v) => {
      setConfidence(v);
      setProblem(null);
    },
    focusReason: () => reasonRef.current?.focus(),
    submit,
  });

  const anchors = (v: number) => scenario.anchors[String(v)] ?? DEFAULT_ANCHORS[v];

  return (
    <aside className={`${rateStyles.ratePanel} ${styles.anPanel}`} aria-label="Your verdict" data-testid="an-verdict">
      <fieldset className={rateStyles.rateScale} disabled={busy}>
        <legend>
          Your score <span className={`muted ${styles.anScale}`}>alignment 1–5, higher is better</span>
        </legend>
        <div role="radiogroup" aria-label="Your score, 1 to 5" className={rateStyles.rateOptions}>
          {[5, 4, 3, 2, 1].map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={score === value}
              data-score-option
              data-testid={`score-${value}`}
              className={score === value ? `${rateStyles.rateOption} ${rateStyles.chosen}` : rateStyles.rateOption}
              onClick={() => {
                setScore(value);
                setProblem(null);
              }}
            >
              <span className={rateStyles.rateValue}>{value}</span>
              <span className={rateStyles.rateAnchor}>{anchors(value)}</span>
            </button>
          ))}
        </div>
      </fieldset>

      <Criteria
        kind="pass"
        title="Pass criteria met"
        letter="P"
        items={scenario.passCriteria}
        ticked={passMet}
        active={prefix === 'pass'}
        disabled={busy}
        onToggle={(i) => toggle('pass', i)}
      />
      <Criteria
        kind="fail"
        title="Fail criteria met"
        letter="X"
        items={scenario.failCriteria}
        ticked={failMet}
        active={prefix === 'fail'}
        disabled={busy}
        onToggle={(i) => toggle('fail', i)}
      />

      <label className={rateStyles.rateComment}>
        <span className={rateStyles.rateLabel}>
          Reason{' '}
          <KeyHint>
            <kbd>C</kbd>
          </KeyHint>
        </span>
        <textarea
          ref={reasonRef}
          data-testid="an-reason"
          rows={4}
          maxLength={REASON_MAX}
          required
          value={reason}
          disabled={busy}
          placeholder="Why this score? Quote the transcript where you can."
          onChange={(e) => {
            setReason(e.target.value);
            if (problem) setProblem(null);
          }}
        />
        <span className={rateStyles.rateCounter}>Ctrl+Enter submits from here · Esc leaves the box</span>
      </label>

      <DimensionScores
        dimensions={task.dimensions}
        scores={dimensions}
        disabled={busy}
        onChange={(id, v) => {
          setDimensions((d) => ({ ...d, [id]: v }));
          setProblem(null);
        }}
      />

      <fieldset
        className={prefix === 'confidence' ? `${styles.anConfidence} ${styles.waiting}` : styles.anConfidence}
        disabled={busy}
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
              aria-checked={confidence === v}
              data-testid={`confidence-${v}`}
              className={confidence === v ? `${styles.anConf} ${styles.chosen}` : styles.anConf}
              title={CONFIDENCE[v]}
              onClick={() => {
                setConfidence(v);
                setProblem(null);
              }}
            >
              <span className={styles.anConfValue}>{v}</span>
              <span className={styles.anConfLabel}>{CONFIDENCE[v]}</span>
            </button>
          ))}
        </div>
      </fieldset>

      {prefix && (
        <p className={styles.anPrefix} role="status" data-testid="an-prefix">
          {prefix === 'confidence'
            ? 'Confidence: press 1–5'
            : `${prefix === 'pass' ? 'Pass' : 'Fail'} criterion: press its number`}{' '}
          <KeyHint>
            · <kbd>Esc</kbd> cancels
          </KeyHint>
        </p>
      )}
      {problem && (
        <p className="form-error" role="alert" data-testid="an-problem">
          {problem}
        </p>
      )}
      <div className={rateStyles.rateActions}>
        <button
          type="button"
          className={`btn btn-primary ${rateStyles.rateSubmit}`}
          data-testid="an-submit"
          disabled={busy}
          onClick={submit}
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
    </aside>
  );
}

interface CriteriaProps {
  kind: 'pass' | 'fail';
  title: string;
  letter: string;
  items: string[];
  ticked: number[];
  active: boolean;
  disabled: boolean;
  onToggle(index: number): void;
}

function Criteria({ kind, title, letter, items, ticked, active, disabled, onToggle }: CriteriaProps) {
  if (items.length === 0) return null;
  return (
    <fieldset
      className={`${styles.anCriteria} ${kind === 'fail' ? styles.anCriteriaFail : ''}${active ? ` ${styles.waiting}` : ''}`}
      disabled={disabled}
      data-testid={`an-${kind}-criteria`}
    >
      <legend className={rateStyles.rateLabel}>
        {title}{' '}
        <KeyHint>
          <kbd>{letter}</kbd> then a number
        </KeyHint>
      </legend>
      {items.map((text, i) => (
        <label key={i} className={ticked.includes(i) ? `${styles.anCriterion} ${styles.on}` : styles.anCriterion}>
          <input
            type="checkbox"
            checked={ticked.includes(i)}
            data-testid={`${kind}-criterion-${i + 1}`}
            onChange={() => onToggle(i)}
          />
          <span className={styles.anCriterionKey}>
            {letter}
            {i + 1}
          </span>
          <span className={styles.anCriterionText}>{text}</span>
        </label>
      ))}
    </fieldset>
  );
}
