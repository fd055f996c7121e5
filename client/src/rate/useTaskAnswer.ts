import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { sameFlags } from './flags.ts';
import type { Notice } from './notice.ts';
import { reviseRating, skipTask, submitRating, type RaterTask, type RealismFlag } from './rateApi.ts';
import { RATING_COMMENT_MAX } from '../../../schema/rater-limits.ts';
import { taskFailure, type TaskAction } from './taskFailure.ts';
import type { Revision } from './revision.ts';

/** What the rater has entered: a rating (null: none chosen yet), the flags and the comment. */
export interface RatingDraft {
  realism: number | null;
  flags: RealismFlag[];
  comment: string;
}

type TaskAnswer = { kind: 'rating'; realism: number; flags: RealismFlag[]; comment: string } | { kind: 'skip' };

interface TaskAnswerOptions {
  studyId: string;
  task: RaterTask | null;
  /** Set when the view shows an earlier rating to change instead of the task. */
  revision?: Revision;
  onNext(notice: Notice): void;
}

/**
 * Sends the rater's answer: a rating or a skip of the task in hand, or the change to an earlier
 * rating. `busy` says which is on its way, from the click until the next task replaces this view:
 * a saved answer and a task found gone both move on, so the view stays busy meanwhile; any other
 * failure is a `problem`, and what the rater entered stays for another try.
 */
export function useTaskAnswer({ studyId, task, revision, onNext }: TaskAnswerOptions) {
  // A check made here before sending (no rating chosen, no skips left), shown like a refusal.
  const [unsendable, setUnsendable] = useState<string | null>(null);
  const actionOf = (answer: TaskAnswer): TaskAction =>
    answer.kind === 'skip' ? 'skip' : revision ? 'change' : 'rating';
  const send = useMutation({
    mutationFn: (answer: TaskAnswer) => sendAnswer(studyId, task, revision, answer),
    onSuccess: (notice) => (revision ? revision.onClose(notice) : onNext(notice)),
    onError: (e, answer) => {
      const failure = taskFailure(e, actionOf(answer));
      if (failure.gone) onNext(failure.notice);
    },
  });
  const failure = send.isError && send.variables ? taskFailure(send.error, actionOf(send.variables)) : null;
  const movingOn = send.isSuccess || failure?.gone === true;
  const busy: 'submit' | 'skip' | null =
    send.isPending || movingOn ? (send.variables?.kind === 'skip' ? 'skip' : 'submit') : null;

  return {
    busy,
    problem: unsendable ?? (failure && !failure.gone ? failure.problem : null),
    rate(draft: RatingDraft) {
      if (busy) return;
      if (draft.realism === null) return setUnsendable('Choose a rating from 1 to 5 first (press 1-5).');
      if (draft.comment.length > RATING_COMMENT_MAX)
        return setUnsendable(`The comment is too long: at most ${RATING_COMMENT_MAX} characters.`);
      setUnsendable(null);
      send.mutate({ kind: 'rating', realism: draft.realism, flags: draft.flags, comment: draft.comment });
    },
    skip() {
      if (busy || !task || revision) return;
      if (task.skipsLeft === 0)
        return setUnsendable('You have used all the skips this study allows: rate this scenario to go on.');
      setUnsendable(null);
      send.mutate({ kind: 'skip' });
    },
    /** The rater changed their answer: the last problem no longer applies (a move to the next task stands). */
    clearProblem() {
      setUnsendable(null);
      if (send.isError && !movingOn) send.reset();
    },
  };
}

/** Sends one answer; resolves with the notice the rater reads next. */
async function sendAnswer(
  studyId: string,
  task: RaterTask | null,
  revision: Revision | undefined,
  answer: TaskAnswer,
): Promise<Notice> {
  if (answer.kind === 'skip') {
    if (!task) throw new Error('there is no task to skip');
    await skipTask(studyId, task.leaseId);
    return { tone: 'info', text: 'Skipped. You will not get that scenario again.' };
  }
  const { realism, flags, comment } = answer;
  if (revision) {
    // A changed rating replaces the old answer (which the server keeps).
    const before = revision.rating;
    await reviseRating(studyId, before.ratingId, { realism, flags, comment });
    const same = realism === before.realism && comment === before.comment && sameFlags(flags, before.flags);
    return same
      ? { tone: 'info', text: `Your rating stays at ${realism}.` }
      : { tone: 'info', text: `Changed your earlier rating to ${realism}. Back to where you were.` };
  }
  if (!task) throw new Error('there is no task to rate');
  await submitRating(studyId, { leaseId: task.leaseId, realism, flags, comment });
  return { tone: 'info', text: `Saved your rating of ${realism}.` };
}
