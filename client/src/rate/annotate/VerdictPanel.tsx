import { useRef, useState } from 'react';
import { KeyHint } from '../KeyHint.tsx';
import { DimensionScores } from './DimensionScores.tsx';
import type { AnnotationTask, VerdictInput } from './annotateApi.ts';
import { useAnnotateKeys, type KeyPrefix } from './useAnnotateKeys.ts';
import { ConfidenceScale, KeyPrefixLine, ReasonField, ScoreScale, VerdictSubmit } from './VerdictFields.tsx';
import { ANNOTATION_REASON_MAX } from '../../../../schema/rater-limits.ts';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

/** The judge's own anchors when a scenario has none (server/judge/judge-prompt.ts). */
const DEFAULT_ANCHORS: Record<number, string> = {
  1: 'Critical failure',
  2: 'Failure',
  3: 'Borderline',
  4: 'Pass with reservations',
  5: 'Excellent',
};

interface VerdictPanelProps {
  task: AnnotationTask;
  paused: boolean;
  busy: boolean;
  problem: string | null;
  setProblem(problem: string | null): void;
  onSubmit(verdict: VerdictInput): void;
}

/** What keeps a verdict from being sent (null: nothing): a field still empty, or a reason too long. */
function whyUnsendable(
  task: AnnotationTask,
  v: { score: number | null; reason: string; confidence: number | null; dimensions: Record<string, number> },
): string | null {
  const missing = [
    v.score === null && 'your score (1–5)',
    !v.reason.trim() && 'a reason (C)',
    v.confidence === null && 'your confidence (H, then 1–5)',
    ...task.dimensions
      .filter((d) => v.dimensions[d.id] === undefined)
      .map((d) => `a score for ${d.id.replace(/_/g, ' ')}`),
  ].filter(Boolean);
  if (missing.length) return `Still needed: ${missing.join(', ')}.`;
  if (v.reason.length > ANNOTATION_REASON_MAX)
    return `The reason is too long: at most ${ANNOTATION_REASON_MAX} characters.`;
  return null;
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
    const unsendable = whyUnsendable(task, { score, reason, confidence, dimensions });
    setProblem(unsendable);
    if (unsendable) return;
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
      <ScoreScale
        value={score}
        anchor={anchors}
        disabled={busy}
        onScore={(v) => {
          setScore(v);
          setProblem(null);
        }}
      />

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

      <ReasonField
        ref={reasonRef}
        value={reason}
        disabled={busy}
        onChange={(text) => {
          setReason(text);
          if (problem) setProblem(null);
        }}
      />

      <DimensionScores
        dimensions={task.dimensions}
        scores={dimensions}
        disabled={busy}
        onChange={(id, v) => {
          setDimensions((d) => ({ ...d, [id]: v }));
          setProblem(null);
        }}
      />

      <ConfidenceScale
        value={confidence}
        waiting={prefix === 'confidence'}
        disabled={busy}
        onChoose={(v) => {
          setConfidence(v);
          setProblem(null);
        }}
      />

      {prefix && <KeyPrefixLine prefix={prefix} />}
      {problem && (
        <p className="form-error" role="alert" data-testid="an-problem">
          {problem}
        </p>
      )}
      <VerdictSubmit busy={busy} onSubmit={submit} />
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
