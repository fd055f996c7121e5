import type { Notice } from './notice.ts';
import { RateRequestError } from './rateApi.ts';

/** What the rater was sending: a rating or a skip of the task in hand, or a change to an earlier rating. */
export type TaskAction = 'rating' | 'skip' | 'change';

/**
 * What a refused answer means for the rater: the task is gone (it expired, or the author edited the
 * scenario meanwhile), so the next one comes with a notice; or a problem to fix here, with what
 * they entered kept.
 */
export type TaskFailure = { gone: true; notice: Notice } | { gone: false; problem: string };

export function taskFailure(e: unknown, action: TaskAction): TaskFailure {
  const problem = (text: string): TaskFailure => ({ gone: false, problem: text });
  // A change to an earlier rating holds no task: nothing can be gone, the form stays.
  if (action === 'change') return problem(e instanceof RateRequestError ? `Not changed: ${e.message}` : String(e));
  if (!(e instanceof RateRequestError)) return problem(String(e));
  if (e.status === 409 && /edited/.test(e.message)) {
    return {
      gone: true,
      notice: {
        tone: 'warning',
        text: 'Your rating was not saved: the author edited this scenario while you were reading it, so you rated an old version. Here is your next task.',
      },
    };
  }
  if (e.status === 409 || e.status === 404) {
    return {
      gone: true,
      notice: {
        tone: 'warning',
        text: `Your ${action} was not saved: this task had expired (a task is held for you for 30 minutes). Here is your next task.`,
      },
    };
  }
  if (e.status === 401) return problem('You are signed out. Open your study link again to continue.');
  if (e.status === 403 && action === 'skip') return problem(e.message);
  return problem(`Not saved: ${e.message}`);
}
