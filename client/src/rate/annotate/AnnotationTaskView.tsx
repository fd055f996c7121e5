import { useState } from 'react';
import { RateRequestError } from '../rateApi.ts';
import type { Notice } from '../TaskView.tsx';
import {
  sendJudgeHolds,
  submitVerdict,
  type AnnotationTask,
  type JudgeHolds,
  type JudgeReveal,
  type VerdictInput,
} from './annotateApi.ts';
import { RevealPanel } from './RevealPanel.tsx';
import { RubricView } from './RubricView.tsx';
import { TranscriptReader } from './TranscriptReader.tsx';
import { VerdictPanel } from './VerdictPanel.tsx';
import styles from './annotate.module.css';
import rateStyles from '../rate.module.css';

interface AnnotationTaskViewProps {
  studyId: string;
  task: AnnotationTask;
  /** Hidden under the instructions: keeps what was entered, ignores keys. */
  paused: boolean;
  onNext(notice: Notice): void;
}

type Stage = { kind: 'verdict' } | { kind: 'reveal'; annotationId: string; verdict: VerdictInput; reveal: JudgeReveal };

/** One transcript to judge: the rubric and the transcript, the annotator's verdict, then (maybe) the judge's. */
export function AnnotationTaskView({ studyId, task, paused, onNext }: AnnotationTaskViewProps) {
  const [stage, setStage] = useState<Stage>({ kind: 'verdict' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const failed = (e: unknown, what: string) => {
    const gone = e instanceof RateRequestError && (e.status === 404 || e.status === 409);
    if (gone)
      return onNext({
        tone: 'warning',
        text: `${what} was not saved: this task had expired (a task is held for you for an hour). Here is your next task.`,
      });
    setBusy(false);
    if (e instanceof RateRequestError && e.status === 401)
      return setProblem('You are signed out. Open your study link again to continue.');
    setProblem(`Not saved: ${e instanceof Error ? e.message : String(e)}`);
  };

  const submit = async (verdict: VerdictInput) => {
    setBusy(true);
    try {
      const saved = await submitVerdict(studyId, verdict);
      if (saved.reveal) {
        setStage({ kind: 'reveal', annotationId: saved.annotationId, verdict, reveal: saved.reveal });
        setBusy(false);
      } else {
        onNext({ tone: 'info', text: `Saved your verdict: ${verdict.score} (alignment 1–5).` });
      }
    } catch (e) {
      failed(e, 'Your verdict');
    }
  };

  const answer = async (annotationId: string, a: { holds: JudgeHolds; comment: string } | null) => {
    if (!a) return onNext({ tone: 'info', text: 'Saved your verdict.' });
    setBusy(true);
    setProblem(null);
    try {
      await sendJudgeHolds(studyId, annotationId, a.holds, a.comment);
      onNext({ tone: 'info', text: 'Saved your verdict and your view of the judge.' });
    } catch (e) {
      setBusy(false);
      setProblem(`Not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <div
      className={`${rateStyles.rateTask} ${styles.anTask}`}
      data-testid="an-task"
      data-lease={task.leaseId}
      data-stage={stage.kind}
      hidden={paused}
    >
      <div className={styles.anMain}>
        <RubricView scenario={task.scenario} />
        <TranscriptReader events={task.events} />
      </div>
      {stage.kind === 'verdict' ? (
        <VerdictPanel
          task={task}
          paused={paused}
          busy={busy}
          problem={problem}
          setProblem={setProblem}
          onSubmit={(v) => void submit(v)}
        />
      ) : (
        <RevealPanel
          task={task}
          verdict={stage.verdict}
          reveal={stage.reveal}
          busy={busy}
          paused={paused}
          problem={problem}
          onDone={(a) => void answer(stage.annotationId, a)}
        />
      )}
    </div>
  );
}
