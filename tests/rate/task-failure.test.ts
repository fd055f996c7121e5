import { describe, expect, it } from 'vitest';
import { RateRequestError } from '../../client/src/rate/rateApi.ts';
import { taskFailure } from '../../client/src/rate/taskFailure.ts';

// What the rater app makes of a refused answer: a task that is gone moves on with a notice, every
// other refusal stays on the task as a problem to fix, with what the rater entered kept.

describe('taskFailure', () => {
  it('moves on from a task the author edited meanwhile, saying the rating was of an old version', () => {
    const failure = taskFailure(new RateRequestError(409, 'conflict', 'the scenario was edited since'), 'rating');
    expect(failure).toMatchObject({ gone: true, notice: { tone: 'warning' } });
    expect(failure.gone && failure.notice.text).toMatch(/^Your rating was not saved: the author edited this scenario/);
  });

  it('moves on from an expired task, naming what was not saved', () => {
    for (const status of [404, 409]) {
      const skip = taskFailure(new RateRequestError(status, 'not_found', 'no such lease'), 'skip');
      expect(skip.gone && skip.notice.text).toMatch(/^Your skip was not saved: this task had expired/);
      const rating = taskFailure(new RateRequestError(status, 'not_found', 'no such lease'), 'rating');
      expect(rating.gone && rating.notice.text).toMatch(/^Your rating was not saved: this task had expired/);
    }
  });

  it('keeps the task on any other refusal, with the reason', () => {
    expect(taskFailure(new RateRequestError(401, 'unauthenticated', 'not signed in'), 'rating')).toEqual({
      gone: false,
      problem: 'You are signed out. Open your study link again to continue.',
    });
    expect(taskFailure(new RateRequestError(403, 'forbidden', 'no skips left in this study'), 'skip')).toEqual({
      gone: false,
      problem: 'no skips left in this study',
    });
    expect(taskFailure(new RateRequestError(403, 'forbidden', 'not a rater of this study'), 'rating')).toEqual({
      gone: false,
      problem: 'Not saved: not a rater of this study',
    });
    expect(taskFailure(new RateRequestError(0, 'network', 'cannot reach the server'), 'rating')).toEqual({
      gone: false,
      problem: 'Not saved: cannot reach the server',
    });
    expect(taskFailure(new TypeError('boom'), 'skip')).toEqual({ gone: false, problem: 'TypeError: boom' });
  });

  it('never moves on from a change to an earlier rating: it holds no task', () => {
    for (const status of [404, 409]) {
      expect(taskFailure(new RateRequestError(status, 'conflict', 'the scenario changed since'), 'change')).toEqual({
        gone: false,
        problem: 'Not changed: the scenario changed since',
      });
    }
  });
});
