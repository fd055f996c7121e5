import { describe, expect, it } from 'vitest';
import { bootstrapCi, seededRandom } from '../../server/stats/bootstrap.ts';

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('bootstrapCi', () => {
  it('is reproducible from its seed', () => {
    const data = Array.from({ length: 40 }, (_, i) => (i * 7) % 5);
    expect(bootstrapCi(data, mean, { seed: 42 })).toEqual(bootstrapCi(data, mean, { seed: 42 }));
    expect(bootstrapCi(data, mean, { seed: 42 })).not.toEqual(bootstrapCi(data, mean, { seed: 43 }));
  });

  it('covers the mean of a normal sample like the textbook interval mean +- 1.96 s/sqrt(n)', () => {
    // 2,000 draws from N(3, 1) by Box-Muller: the bootstrap interval of the mean must be close to
    // the analytic one (half-width 1.96 / sqrt(2000) = 0.0438).
    const random = seededRandom(7);
    const data = Array.from(
      { length: 2000 },
      () => 3 + Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
    );
    const m = mean(data);
    const sd = Math.sqrt(data.reduce((s, x) => s + (x - m) ** 2, 0) / (data.length - 1));
    const ci = bootstrapCi(data, mean, { resamples: 2000, seed: 3 })!;
    const half = (1.96 * sd) / Math.sqrt(data.length);
    expect(ci.low).toBeCloseTo(m - half, 2);
    expect(ci.high).toBeCloseTo(m + half, 2);
  });

  it('leaves out resamples where the statistic is undefined, and gives up when most are', () => {
    expect(bootstrapCi([1, 1, 1, 2], (s) => (s.includes(2) ? 1 : null), { seed: 1 })?.resamples).toBeLessThan(1000);
    expect(bootstrapCi([1, 2], () => null)).toBeNull();
  });
});
