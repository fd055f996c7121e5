import { describe, expect, it } from 'vitest';
import { krippendorffAlpha, type UnitValues } from '../../server/stats/krippendorff.ts';

/** Coders x units, null for a missing value, turned into per-unit value lists. */
function unitsOf(matrix: (number | null)[][]): UnitValues[] {
  const units = matrix[0]!.length;
  return Array.from({ length: units }, (_, u) =>
    matrix.map((coder) => coder[u]).filter((v): v is number => v !== null && v !== undefined),
  );
}

// Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
// Communication, Departmental Papers 43, section C ("multiple coders, missing values"): four
// coders, twelve units. Published: nominal .743, interval .849. The ordinal (.815) and ratio
// (.797) values for the same data are those of the reference implementation
// fast-krippendorff (tests/test_krippendorff.py, test_ordinal_metric / test_ratio_metric).
const KRIPPENDORFF_2011 = unitsOf([
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
]);

// Three coders, fifteen units, many missing: the example in Wikipedia's "Krippendorff's alpha"
// article; nominal 0.691358 and interval 0.810845 in fast-krippendorff's tests
// (test_nominal_metric_reliability_data, test_interval_metric).
const WIKIPEDIA_EXAMPLE = unitsOf([
  [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
  [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
  [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
]);

describe("Krippendorff's alpha", () => {
  it('equals the published values for Krippendorff (2011), section C', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'nominal')!.toFixed(3)).toBe('0.743');
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'ordinal')!.toFixed(3)).toBe('0.815');
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'interval')!.toFixed(3)).toBe('0.849');
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'ratio')!.toFixed(3)).toBe('0.797');
  });

  it('equals the reference implementation on the Wikipedia example to six places', () => {
    expect(krippendorffAlpha(WIKIPEDIA_EXAMPLE, 'nominal')!.toFixed(6)).toBe('0.691358');
    expect(krippendorffAlpha(WIKIPEDIA_EXAMPLE, 'interval')!.toFixed(6)).toBe('0.810845');
  });

  it('is 1 for perfect agreement and ignores units with a single value', () => {
    expect(krippendorffAlpha([[1, 1], [2, 2, 2], [3, 3], [5]], 'interval')).toBe(1);
  });

  it('is undefined (null) without pairable units or without variation', () => {
    expect(krippendorffAlpha([[1], [2]], 'nominal')).toBeNull();
    expect(
      krippendorffAlpha(
        [
          [3, 3],
          [3, 3, 3],
        ],
        'ordinal',
      ),
    ).toBeNull();
  });

  it('does not depend on the order of coders within a unit or of units', () => {
    const shuffled = [...KRIPPENDORFF_2011].reverse().map((u) => [...u].reverse());
    expect(krippendorffAlpha(shuffled, 'ordinal')).toBeCloseTo(krippendorffAlpha(KRIPPENDORFF_2011, 'ordinal')!, 12);
  });
});
