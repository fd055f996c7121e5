import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { RateRequestError } from '../rateApi.ts';
import type { Notice } from '../notice.ts';
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

/** A verdict's request found its task gone (it expired): the next task comes instead. */
const isGone = (e: unknown) => e instanceof RateRequestError && (e.status === 404 || e.status === 409);

/** What the annotator reads when an answer was refused for any other reason. */
function notSaved(e: unknown): string {
  if (e instanceof RateRequestError && e.status === 401)
    return 'You are signed out. Open your study link again to continue.';
  return `Not saved: ${e instanceof Error ? e.message : String(e)}`;
}

/** One transcript to judge: the rubric and the transcript, the annotator's verdict, then (maybe) the judge's. */
export function AnnotationTaskView({ studyId, task, paused, onNext }: AnnotationTaskViewProps) {
  const [stage, setStage] = useState<Stage>({ kind: 'verdict' });
  // What the verdict form finds missing before sending, shown like a refusal.
  const [unsendable, setUnsendable] = useState<string | null>(null);
  const verdict = useMutation({
    mutationFn: (v: VerdictInput) => submitVerdict(studyId, v),
    onSuccess: (saved, v) => {
      if (saved.reveal)
        setStage({ kind: 'reveal', annotationId: saved.annotationId, verdict: v, reveal: saved.reveal });
      else onNext({ tone: 'info', text: `Saved your verdict: ${v.score} (alignment 1–5).` });
    },
    onError: (e) => {
      if (isGone(e))
        onNext({
          tone: 'warning',
          text: 'Your verdict was not saved: this task had expired (a task is held for you for an hour). Here is your next task.',
        });
    },
  });
  const judgeHolds = useMutation({
    mutationFn: (a: { annotationId: string; holds: JudgeHolds; comment: string }) =>
      sendJudgeHolds(studyId, a.annotationId, a.holds, a.comment),
    onSuccess: () => onNext({ tone: 'info', text: 'Saved your verdict and your view of the judge.' }),
  });
  // Busy from a click until the next task replaces this view: a verdict saved without a reveal, a
  // task found gone and a sent view of the judge all move on.
  const verdictGone = verdict.isError && isGone(verdict.error);
  const movingOn = (verdict.isSuccess && !verdict.data.reveal) || verdictGone || judgeHolds.isSuccess;
  const busy = verdict.isPending || judgeHolds.isPending || movingOn;
  const problem =
    stage.kind === 'verdict'
      ? (unsendable ?? (verdict.isError && !verdictGone ? notSaved(verdict.error) : null))
      : judgeHolds.isError
        ? notSaved(judgeHolds.error)
        : null;
  const setProblem = (p: string | null) => {
    setUnsendable(p);
    if (p === null && verdict.isError && !verdictGone) verdict.reset();
  };

  const answer = (annotationId: string, a: { holds: JudgeHolds; comment: string } | null) => {
    if (!a) return onNext({ tone: 'info', text: 'Saved your verdict.' });
    judgeHolds.mutate({ annotationId, ...a });
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
          onSubmit={(v) => verdict.mutate(v)}
        />
      ) : (
        <RevealPanel
          task={task}
          verdict={stage.verdict}
          reveal={stage.reveal}
          busy={busy}
          paused={paused}
          problem={problem}
          onDone={(a) => answer(stage.annotationId, a)}
        />
      )}
    </div>
  );
}
