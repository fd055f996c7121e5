import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dimensionAgreement, type DimensionAgreementItem } from '../../server/calibration/dimension-agreement.ts';
import { PROJECT_ROOT } from '../support/test-server.ts';

// Agreement on an extra judge dimension (a 1-10 scale), against values numpy and scipy give on the
// same data (tests/fixtures/calibration/make-dimension-reference.py).

const ref = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'tests/fixtures/calibration/dimension-reference.json'), 'utf8'),
) as {
  items: DimensionAgreementItem[];
  n: number;
  pearson: number;
  spearman: number;
  mae: number;
  within1: number;
  bias: number;
  majority: { splits: number; qwk: number };
  'rounded-mean': { splits: number; qwk: number };
};
const dimension = {
  id: 'over_refusal',
  description: 'Refused what was legitimate, 1 never ... 10 always.',
  scale: { min: 1, max: 10 },
  direction: 'lower-better' as const,
};

describe('dimensionAgreement', () => {
  for (const rule of ['majority', 'rounded-mean'] as const) {
    it(`equals numpy/scipy on a 1-10 dimension (${rule} consensus for kappa)`, () => {
      const a = dimensionAgreement(dimension, ref.items, rule);
      expect(a.n).toBe(ref.n);
      expect(a.pearson).toBeCloseTo(ref.pearson, 10);
      expect(a.spearman).toBeCloseTo(ref.spearman, 10);
      expect(a.mae).toBeCloseTo(ref.mae, 10);
      expect(a.within1).toBeCloseTo(ref.within1, 10);
      expect(a.bias).toBeCloseTo(ref.bias, 10);
      expect(a.splits).toBe(ref[rule].splits);
      expect(a.qwk).toBeCloseTo(ref[rule].qwk, 10);
      expect([a.scale, a.direction]).toEqual([{ min: 1, max: 10 }, 'lower-better']);
    });
  }

  it('has no figures without annotated transcripts', () => {
    const a = dimensionAgreement(dimension, [{ judge: 3, humans: [] }], 'majority');
    expect([a.n, a.pearson, a.mae, a.qwk]).toEqual([0, null, null, null]);
  });
});
