import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapCi } from '../../server/stats/bootstrap.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// The leaderboard's 95% CI of a model's mean score: the reference values were computed by numpy
// (np.mean over each resample, np.percentile "linear") on the resamples drawn by the same seeded
// generator, by tests/fixtures/factor/make-bootstrap-reference.py.
const ref = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/factor/bootstrap-reference.json'), 'utf8')) as {
  scores: number[];
  seed: number;
  resamples: number;
  low: number;
  high: number;
};

describe('bootstrap CI of a mean', () => {
  it('equals numpy on the same resamples', () => {
    const ci = bootstrapCi(ref.scores, (s) => s.reduce((a, b) => a + b, 0) / s.length, {
      seed: ref.seed,
      resamples: ref.resamples,
    })!;
    expect(ci.low).toBeCloseTo(ref.low, 12);
    expect(ci.high).toBeCloseTo(ref.high, 12);
  });
});
